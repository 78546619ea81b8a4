package dev.stasis.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading the API classes; the injection itself is proven on the real jar by AgentLaunchIT. */
class BootstrapInjectorTest {

    @Test
    void reads_every_runtime_api_class_from_a_classes_directory() throws IOException {
        Map<String, byte[]> classes = BootstrapInjector.runtimeApiClasses(getClass().getClassLoader());

        assertThat(classes).containsKeys("dev.stasis.rt.Stasis", "dev.stasis.rt.Frame", "dev.stasis.rt.Engine",
                "dev.stasis.rt.crac.Core", "dev.stasis.rt.crac.Context", "dev.stasis.rt.crac.Resource",
                "dev.stasis.rt.crac.CheckpointException", "dev.stasis.rt.crac.RestoreException",
                "dev.stasis.rt.crac.CheckpointRestoreCall");
        assertThat(classes.keySet()).allMatch(name -> name.matches("dev\\.stasis\\.rt\\.(crac\\.)?[^.]+"));
        assertThat(classes.get("dev.stasis.rt.Stasis")).startsWith(0xCA, 0xFE, 0xBA, 0xBE);
    }

    @Test
    void orders_supertypes_before_the_classes_that_extend_them() throws IOException {
        Map<String, byte[]> classes = BootstrapInjector.runtimeApiClasses(getClass().getClassLoader());
        Map<String, byte[]> reversed = new java.util.LinkedHashMap<>();
        new java.util.ArrayDeque<>(classes.keySet()).descendingIterator().forEachRemaining(n -> reversed.put(n, classes.get(n)));
        reversed.put("dev.stasis.rt.Engine$1", reversed.remove("dev.stasis.rt.Engine$1"));
        Map<String, byte[]> withNestedFirst = new java.util.LinkedHashMap<>();
        withNestedFirst.put("dev.stasis.rt.Engine$1", classes.get("dev.stasis.rt.Engine$1"));
        withNestedFirst.putAll(reversed);

        java.util.List<String> order = new java.util.ArrayList<>(BootstrapInjector.supertypesFirst(withNestedFirst).keySet());

        assertThat(order).containsExactlyInAnyOrderElementsOf(classes.keySet());
        assertThat(order.indexOf("dev.stasis.rt.Engine")).isLessThan(order.indexOf("dev.stasis.rt.Engine$1"));
    }

    @Test
    void reads_nested_classes_and_the_crac_package_but_not_other_subpackages_or_packages_from_a_jar(@TempDir Path tmp)
            throws IOException {
        Path jar = tmp.resolve("agent.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String name : new String[] {"dev/stasis/rt/Stasis.class", "dev/stasis/rt/Engine$1.class",
                    "dev/stasis/rt/sub/Other.class", "dev/stasis/runtime/StasisRuntime.class", "dev/stasis/rt/readme.txt",
                    "dev/stasis/rt/crac/Core.class", "dev/stasis/rt/crac/deeper/Other.class"}) {
                out.putNextEntry(new JarEntry(name));
                out.write(name.getBytes());
            }
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            Map<String, byte[]> classes = BootstrapInjector.runtimeApiClasses(loader);

            assertThat(classes.keySet()).containsExactlyInAnyOrder("dev.stasis.rt.Stasis", "dev.stasis.rt.Engine$1",
                    "dev.stasis.rt.crac.Core");
            assertThat(new String(classes.get("dev.stasis.rt.Engine$1"))).isEqualTo("dev/stasis/rt/Engine$1.class");
        }
    }

    @Test
    void a_jar_without_the_api_is_reported_as_incomplete(@TempDir Path tmp) throws IOException {
        Path jar = tmp.resolve("empty.jar");
        try (OutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.flush();
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            assertThatThrownBy(() -> BootstrapInjector.runtimeApiClasses(loader))
                    .hasMessage("dev/stasis/rt/Stasis.class is not on the agent's class path; the agent jar is incomplete, rebuild it");
        }
    }
}
