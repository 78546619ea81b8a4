package dev.stasis.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code engine=crac}'s delegation to the JDK. No CRaC JDK can be installed on this machine (neither Maven
 * Central nor Debian has one), so the JVM is given a stand-in module named {@code jdk.crac} whose
 * {@code Core.checkpointRestore()} does what the test needs to see: it reports whether the program's
 * listener was closed when the JDK's checkpoint would start (the org.crac resources were told first),
 * and it fails on request. What a real CRaC JDK does inside that call (the image, the restore) is the
 * JDK's and is not tested here.
 */
class CracEngineIT {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    /** The stand-in: binds the program's port to show whether its listener is closed, then returns or fails. */
    private static final String STAND_IN_CORE = """
            package jdk.crac;

            import java.net.InetAddress;
            import java.net.ServerSocket;

            public final class Core {
                private Core() {
                }

                public static void checkpointRestore() throws Exception {
                    int port = Integer.getInteger("standin.port");
                    boolean free;
                    try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                        free = true;
                    } catch (java.io.IOException e) {
                        free = false;
                    }
                    System.out.println("stand-in jdk.crac checkpointRestore, port free: " + free);
                    if (Boolean.getBoolean("standin.fail")) {
                        throw new IllegalStateException("the stand-in JDK refuses this checkpoint");
                    }
                }
            }
            """;

    @TempDir
    Path work;

    @Test
    void the_checkpoint_goes_to_the_jdks_crac_after_the_org_crac_resources_closed_the_listener() {
        int port = CracServiceIT.freePort();
        JvmCommand command = serviceOnStandIn(port, false);
        try (ForkedJvm service = ForkedJvm.start(command, work, "crac-engine")) {
            service.awaitLine(line -> line.equals("listening on " + port), "that it listens", START_TIMEOUT);
            assertThat(CracServiceIT.get(port, "/count")).isEqualTo("request 1");

            AgentCli.checkpointOrFail(service, work);

            assertThat(service.stdoutLines()).as("beforeCheckpoint closed the listener before the JDK was called\n"
                    + service.describe()).contains("stand-in jdk.crac checkpointRestore, port free: true");
            assertThat(CracServiceIT.get(port, "/count")).as("afterRestore opened it again\n" + service.describe())
                    .isEqualTo("request 2");

            // The program's own org.crac Core.checkpointRestore() goes to the JDK the same way.
            assertThat(CracServiceIT.get(port, "/checkpoint")).isEqualTo("requested");
            service.awaitLine(line -> line.startsWith("checkpointRestore "), "the end of checkpointRestore()", START_TIMEOUT);
            assertThat(service.stdoutLines()).as(service.describe()).containsSubsequence(
                    "stand-in jdk.crac checkpointRestore, port free: true",
                    "stand-in jdk.crac checkpointRestore, port free: true", "checkpointRestore returned, count 2");
            assertThat(CracServiceIT.get(port, "/stop")).isEqualTo("stopping");
            assertThat(service.awaitExit(START_TIMEOUT)).as(service.describe()).isZero();
        }
    }

    @Test
    void a_checkpoint_the_jdk_refuses_fails_with_its_reason_and_the_resources_are_told_after_it() {
        int port = CracServiceIT.freePort();
        JvmCommand command = serviceOnStandIn(port, true);
        try (ForkedJvm service = ForkedJvm.start(command, work, "crac-engine-refusing")) {
            service.awaitLine(line -> line.equals("listening on " + port), "that it listens", START_TIMEOUT);

            AgentCli.Result refused = AgentCli.checkpoint(service, work);

            assertThat(refused.exitCode()).as(refused.describe()).isEqualTo(1);
            assertThat(refused.stderr()).as(refused.describe())
                    .contains("the JDK's CRaC checkpoint failed", "the stand-in JDK refuses this checkpoint");
            assertThat(CracServiceIT.get(port, "/count")).as("afterRestore opened the listener again after the failure\n"
                    + service.describe()).isEqualTo("request 1");
            assertThat(CracServiceIT.get(port, "/stop")).isEqualTo("stopping");
            service.awaitExit(START_TIMEOUT);
        }
    }

    private JvmCommand serviceOnStandIn(int port, boolean fail) {
        Path module = compileStandIn();
        return JvmCommand.of(Samples.CRAC_SERVICE, Integer.toString(port))
                .withAgent("dir=" + work.resolve("snapshots") + ",engine=crac")
                .withJvmOptions("--module-path", module.toString(), "--add-modules", "jdk.crac",
                        "-Dstandin.port=" + port, "-Dstandin.fail=" + fail);
    }

    private Path compileStandIn() {
        try {
            Path source = work.resolve("standin-src");
            Files.createDirectories(source.resolve("jdk/crac"));
            Files.writeString(source.resolve("module-info.java"), "module jdk.crac { exports jdk.crac; }\n");
            Files.writeString(source.resolve("jdk/crac/Core.java"), STAND_IN_CORE);
            Path classes = work.resolve("standin-module");
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            int exit = javac.run(null, null, null, "-d", classes.toString(), "--release", "17",
                    source.resolve("module-info.java").toString(), source.resolve("jdk/crac/Core.java").toString());
            assertThat(exit).as("javac of the stand-in jdk.crac module").isZero();
            return classes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
