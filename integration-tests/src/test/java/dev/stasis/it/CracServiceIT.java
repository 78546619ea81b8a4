package dev.stasis.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application written for CRaC on a stock JDK: its {@code org.crac.Resource} closes its HTTP listener
 * before each checkpoint and opens it again after, in the same process and after a {@code kill -9} and
 * relaunch; its own {@code Core.checkpointRestore()} call checkpoints it and returns again in the
 * relaunched JVM. The request counter is kept throughout.
 */
class CracServiceIT {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path work;

    @Test
    void a_crac_service_is_checkpointed_killed_and_resumed_with_its_listener_and_its_count_on_jdk17() {
        checkpointKillAndResume(TestEnvironment.java(), "jdk17");
    }

    @Test
    void a_crac_service_is_checkpointed_killed_and_resumed_with_its_listener_and_its_count_on_jdk25() {
        String jdk25 = TestEnvironment.jdk25();
        assumeTrue(jdk25 != null, "Temurin 25 is not installed at the path given by stasis.jdk25.java");
        checkpointKillAndResume(jdk25, "jdk25");
    }

    private void checkpointKillAndResume(String java, String label) {
        int port = freePort();
        JvmCommand command = JvmCommand.of(Samples.CRAC_SERVICE, Integer.toString(port))
                .withAgent("dir=" + work.resolve("snapshots")).withJava(java);
        String snapshot;
        try (ForkedJvm first = ForkedJvm.start(command, work, label + "-first")) {
            first.awaitLine(line -> line.equals("listening on " + port), "that it listens", START_TIMEOUT);
            assertThat(get(port, "/count")).isEqualTo("request 1");
            assertThat(get(port, "/count")).isEqualTo("request 2");

            snapshot = AgentCli.checkpointOrFail(first, work);

            assertThat(get(port, "/count")).as("the listener afterRestore opened in the same process\n" + first.describe())
                    .isEqualTo("request 3");
            first.killHard();
        }

        try (ForkedJvm resumed = ForkedJvm.start(command, work, label + "-resumed")) {
            String answer = awaitAnswer(resumed, port, "/count");
            // The listener (opened by afterRestore) may answer before the agent prints its resume line.
            resumed.await(() -> resumed.stderr().contains("stasis: resumed from snapshot " + snapshot),
                    "the line that it resumed snapshot " + snapshot, START_TIMEOUT);
            assertThat(answer).as("the count of the snapshot, one request later\n" + resumed.describe())
                    .isEqualTo("request 3");
            assertThat(resumed.stdoutLines()).as("main resumed in its loop, not from the start")
                    .doesNotContain("listening on " + port);

            assertThat(get(port, "/checkpoint")).isEqualTo("requested");
            resumed.awaitLine(line -> line.startsWith("checkpointRestore "), "the end of checkpointRestore()", START_TIMEOUT);
            assertThat(resumed.stdoutLines()).as(resumed.describe()).contains("checkpointRestore returned, count 3");
            assertThat(get(port, "/count")).isEqualTo("request 4");
            resumed.killHard();
        }

        try (ForkedJvm again = ForkedJvm.start(command, work, label + "-resumed-again")) {
            again.awaitLine(line -> line.startsWith("checkpointRestore "), "checkpointRestore() returning after the relaunch",
                    START_TIMEOUT);
            assertThat(again.stdoutLines()).as(again.describe())
                    .containsExactly("checkpointRestore returned, count 3");
            assertThat(awaitAnswer(again, port, "/count")).isEqualTo("request 4");
            assertThat(get(port, "/stop")).isEqualTo("stopping");
            assertThat(again.awaitExit(START_TIMEOUT)).as(again.describe()).isZero();
            assertThat(again.stdoutLines()).contains("stopped after 4 requests");
        }
    }

    @Test
    void a_resource_that_refuses_fails_the_checkpoint_with_its_exception_reported_and_everyone_told_after() throws IOException {
        Path stop = work.resolve("stop");
        Path snapshots = work.resolve("snapshots");
        JvmCommand command = JvmCommand.of(Samples.CRAC_OPEN_BATCH, stop.toString()).withAgent("dir=" + snapshots);
        try (ForkedJvm jvm = ForkedJvm.start(command, work, "open-batch")) {
            jvm.awaitLine("batch open"::equals, "that the batch is open", START_TIMEOUT);

            AgentCli.Result refused = AgentCli.checkpoint(jvm, work);

            assertThat(refused.exitCode()).as(refused.describe()).isEqualTo(1);
            String reason = "org.crac resources refused the checkpoint: dev.stasis.samples.crac.OpenBatch$Told"
                    + ".beforeCheckpoint threw java.lang.IllegalStateException: the batch is open; nothing was written";
            assertThat(refused.stderr()).as(refused.describe()).contains(reason);
            jvm.awaitLine("batch afterRestore"::equals, "the last afterRestore", START_TIMEOUT);
            assertThat(jvm.stderr()).as("the program's own stderr line").contains("stasis: checkpoint failed: " + reason);
            assertThat(jvm.stdoutLines()).containsExactly("batch open", "batch beforeCheckpoint", "cache beforeCheckpoint",
                    "cache afterRestore", "batch afterRestore");
            Files.createFile(stop);
            assertThat(jvm.awaitExit(START_TIMEOUT)).as(jvm.describe()).isZero();
            assertThat(jvm.stdoutLines()).last().isEqualTo("closed after 1 refusals");
        }
        try (Stream<Path> files = Files.list(snapshots)) {
            assertThat(files.map(file -> file.getFileName().toString())).as("no snapshot was written")
                    .noneMatch(name -> name.endsWith(".stasis"));
        }
    }

    /** The relaunched service answers once its resource has opened the listener again. */
    private static String awaitAnswer(ForkedJvm jvm, int port, String path) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            try {
                return get(port, path);
            } catch (UncheckedIOException e) {
                if (!jvm.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("the service did not answer " + path + ": " + e.getMessage() + "\n"
                            + jvm.describe(), e);
                }
                ForkedJvm.sleep(Duration.ofMillis(50));
            }
        }
    }

    static String get(int port, String path) {
        try {
            URI uri = URI.create("http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + port + path);
            HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
            connection.setConnectTimeout(5_000);
            connection.setReadTimeout(10_000);
            try (InputStream in = connection.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + path + " on port " + port + ": " + e, e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
