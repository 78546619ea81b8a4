package dev.stasis.it;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the packaged jars and the JDKs are. The pom passes them as system properties; the
 * fallbacks make a test runnable from an IDE in the module directory after {@code mvn package}.
 */
final class TestEnvironment {

    private TestEnvironment() {
    }

    static Path agentJar() {
        return existing("stasis.agent.jar", "../agent/target/stasis-agent.jar");
    }

    static Path samplesJar() {
        return existing("stasis.samples.jar", "../samples/target/stasis-samples.jar");
    }

    /** The samples jar and sat4j, as a forked JVM's class path. */
    static String samplesClassPath() {
        Path lib = existing("stasis.samples.lib", "../samples/target/lib");
        return samplesJar() + File.pathSeparator + lib.resolve("*");
    }

    /** The JDK the forked programs run on unless a test says otherwise. */
    static String java() {
        return System.getProperty("stasis.java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** The second JDK (Temurin 25), or null when this machine does not have it. */
    static String jdk25() {
        String java = System.getProperty("stasis.jdk25.java", "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
        return Files.isExecutable(Path.of(java)) ? java : null;
    }

    private static Path existing(String property, String fallback) {
        Path path = Path.of(System.getProperty(property, fallback)).toAbsolutePath().normalize();
        if (!Files.exists(path)) {
            throw new IllegalStateException(path + " does not exist (system property " + property
                    + "); run 'mvn package' first, or 'mvn verify' which packages the agent and samples before these tests");
        }
        return path;
    }
}
