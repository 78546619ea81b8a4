package dev.stasis.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
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

            awaitSecondSnapshot(snapshots, jvm);

            assertThat(jvm.isAlive()).as(jvm.describe()).isTrue();
            assertThat(ListeningSockets.of(jvm.pid())).as("after two checkpoints\n" + jvm.describe()).isEmpty();
        }
    }

    /**
     * Waits until a second checkpoint has been committed: any snapshot numbered 2 or higher, since
     * with keep=3 and a 200 ms interval snapshot 000002 itself may already be gone when this looks.
     */
    private static void awaitSecondSnapshot(Path snapshots, ForkedJvm jvm) {
        long deadline = System.nanoTime() + CHECKPOINT_TIMEOUT.toNanos();
        while (highestSnapshotNumber(snapshots) < 2) {
            assertThat(System.nanoTime() < deadline && jvm.isAlive())
                    .as("waiting for a second snapshot in " + snapshots + "\n" + jvm.describe()).isTrue();
            ForkedJvm.sleep(Duration.ofMillis(20));
        }
    }

    private static long highestSnapshotNumber(Path snapshots) {
        if (!Files.isDirectory(snapshots)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(snapshots)) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.matches("snapshot-\\d+\\.stasis"))
                    .mapToLong(name -> Long.parseLong(name.substring("snapshot-".length(), name.length() - ".stasis".length())))
                    .max().orElse(0);
        } catch (IOException e) {
            return 0;
        }
    }
}
