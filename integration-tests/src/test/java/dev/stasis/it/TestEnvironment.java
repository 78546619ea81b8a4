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

    /**
     * The CRIU executable the criu engine's tests use: {@code -Dstasis.criu} (the pom passes $STASIS_CRIU, which
     * .ci/run sets from .ci/setup-criu), else the wrapper .ci/setup-criu leaves in its fixed cache directory. Absent
     * CRIU fails the test that needs it rather than skipping it: CI sets CRIU up, so its absence there is a defect.
     */
    static String criu() {
        String given = System.getProperty("stasis.criu", "");
        String criu = given.isBlank() || given.startsWith("${") ? "/var/cache/stasis/criu/stasis-criu" : given;
        if (!Files.isExecutable(Path.of(criu))) {
            throw new IllegalStateException("CRIU is not set up at " + criu + " (system property stasis.criu, env "
                    + "STASIS_CRIU): run .ci/setup-criu as root first, as .ci/run does");
        }
        return criu;
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
