package dev.stasis.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots hold everything the program held, so the agent must not be reachable from the
 * network: a program under the agent has no listening TCP socket and no UDP socket of its own,
 * after startup and after checkpoints (taken by its timer: the CLI would start the JDK's own
 * management agent, which is what it asks for, not Stasis).
 */
class NoListenerIT {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CHECKPOINT_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path work;

    @Test
    void the_agent_opens_no_listening_socket_at_startup_or_when_it_checkpoints() {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/net")), "needs Linux /proc");
        Path snapshots = work.resolve("snapshots");
        JvmCommand command = Samples.job(snapshots).withAgent("dir=" + snapshots + ",interval=200ms");
        try (ForkedJvm jvm = ForkedJvm.start(command, work, "job")) {
            jvm.awaitLine(SampleOutput::isProgress, "a progress line", START_TIMEOUT);
            assertThat(ListeningSockets.of(jvm.pid())).as("after startup\n" + jvm.describe()).isEmpty();

            awaitSnapshot(snapshots.resolve("snapshot-000002.stasis"), jvm);

            assertThat(jvm.isAlive()).as(jvm.describe()).isTrue();
            assertThat(ListeningSockets.of(jvm.pid())).as("after two checkpoints\n" + jvm.describe()).isEmpty();
        }
    }

    private static void awaitSnapshot(Path snapshot, ForkedJvm jvm) {
        long deadline = System.nanoTime() + CHECKPOINT_TIMEOUT.toNanos();
        while (!Files.exists(snapshot)) {
            assertThat(System.nanoTime() < deadline && jvm.isAlive())
                    .as("waiting for " + snapshot.getFileName() + "\n" + jvm.describe()).isTrue();
            ForkedJvm.sleep(Duration.ofMillis(20));
        }
    }
}
