package dev.stasis.agent.packaging;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;

/** An application with its own ASM, Byte Buddy, Kryo, lz4-java or picocli must never meet ours. */
class ShadedJarIT {
    private static final List<String> UNRELOCATED =
            List.of("org/objectweb/asm/", "net/bytebuddy/", "com/esotericsoftware/", "org/objenesis/", "net/jpountz/");

    private static List<String> classEntries(JarFile jar) {
        List<String> names = new ArrayList<>();
        for (JarEntry e : Collections.list(jar.entries())) {
            if (e.getName().endsWith(".class")) {
                names.add(e.getName());
            }
        }
        return names;
    }

    @Test
    void every_class_lives_under_dev_stasis() throws IOException {
        try (JarFile jar = new JarFile(JavaRun.agentJar().toFile())) {
            assertThat(classEntries(jar))
                    .isNotEmpty()
                    .allMatch(name -> name.startsWith("dev/stasis/") || name.matches("META-INF/versions/\\d+/dev/stasis/.*"));
        }
    }

    @Test
    void shaded_libraries_are_all_relocated_under_dev_stasis_shaded() throws IOException {
        try (JarFile jar = new JarFile(JavaRun.agentJar().toFile())) {
            assertThat(classEntries(jar))
                    .anyMatch(n -> n.startsWith("dev/stasis/shaded/asm/"))
                    .anyMatch(n -> n.startsWith("dev/stasis/shaded/bytebuddy/"))
                    .anyMatch(n -> n.startsWith("dev/stasis/shaded/esotericsoftware/kryo/"))
                    .anyMatch(n -> n.startsWith("dev/stasis/shaded/esotericsoftware/minlog/"))
                    .anyMatch(n -> n.startsWith("dev/stasis/shaded/esotericsoftware/reflectasm/"))
                    .anyMatch(n -> n.startsWith("dev/stasis/shaded/objenesis/"))
                    .anyMatch(n -> n.startsWith("dev/stasis/shaded/jpountz/lz4/"))
                    .anyMatch(n -> n.startsWith("dev/stasis/shaded/picocli/"));
        }
    }

    @Test
    void byte_buddys_java_24_classes_are_relocated_in_path_and_content() throws IOException {
        try (JarFile jar = new JarFile(JavaRun.agentJar().toFile())) {
            List<String> versioned = classEntries(jar).stream().filter(n -> n.startsWith("META-INF/versions/24/")).toList();
            assertThat(versioned).isNotEmpty().allMatch(n -> n.startsWith("META-INF/versions/24/dev/stasis/shaded/bytebuddy/"));
            for (String name : versioned) {
                assertThat(referencesUnrelocated(jar, name)).as(name).isEmpty();
            }
        }
    }

    @Test
    void no_class_refers_to_an_unrelocated_library_package() throws IOException {
        try (JarFile jar = new JarFile(JavaRun.agentJar().toFile())) {
            List<String> offenders = new ArrayList<>();
            for (String name : classEntries(jar)) {
                referencesUnrelocated(jar, name).forEach(p -> offenders.add(name + " -> " + p));
            }
            assertThat(offenders).isEmpty();
        }
    }

    @Test
    void lz4_native_libraries_are_left_out_since_only_its_pure_java_instance_is_used() throws IOException {
        try (JarFile jar = new JarFile(JavaRun.agentJar().toFile())) {
            List<String> natives = Collections.list(jar.entries()).stream().map(JarEntry::getName)
                    .filter(n -> n.endsWith(".so") || n.endsWith(".dylib") || n.endsWith(".dll") || n.endsWith(".jnilib"))
                    .toList();
            assertThat(natives).isEmpty();
        }
    }

    @Test
    void manifest_declares_the_agent_and_the_cli() throws IOException {
        try (JarFile jar = new JarFile(JavaRun.agentJar().toFile())) {
            Attributes main = jar.getManifest().getMainAttributes();
            assertThat(main.getValue("Premain-Class")).isEqualTo("dev.stasis.agent.StasisAgent");
            assertThat(main.getValue("Agent-Class")).isEqualTo("dev.stasis.agent.StasisAgent");
            assertThat(main.getValue("Can-Retransform-Classes")).isEqualTo("true");
            assertThat(main.getValue("Main-Class")).isEqualTo("dev.stasis.agent.cli.StasisCli");
            assertThat(jar.getEntry("dev/stasis/agent/StasisAgent.class")).isNotNull();
            assertThat(jar.getEntry("dev/stasis/agent/cli/StasisCli.class")).isNotNull();
        }
    }

    /**
     * Unrelocated library package names in a class file's constant pool (UTF-8, so a byte search
     * finds them). The relocated names never contain these prefixes: dev/stasis/shaded/asm/ etc.
     */
    private static List<String> referencesUnrelocated(JarFile jar, String name) throws IOException {
        String text;
        try (InputStream in = jar.getInputStream(jar.getEntry(name))) {
            text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
        return UNRELOCATED.stream().filter(text::contains).toList();
    }
}
