package dev.stasis.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A timed {@code CountDownLatch.await} is a safepoint: a checkpoint does not wait for its 30 s to pass, and
 * after {@code kill -9} and a relaunch the program waits only what was left, with the queue and semaphore it
 * used before the wait holding exactly the elements and permits they had.
 */
class TimedWaitResumeIT {
    private static final long WAIT_MILLIS = 30_000;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration DEAD_FOR = Duration.ofSeconds(4);

    @TempDir
    Path work;

    @Test
    void main_waiting_on_a_latch_is_checkpointed_at_once_and_resumes_with_the_rest_of_its_wait_and_its_state() {
        Path snapshots = work.resolve("snapshots");
        // timeout=2s: a checkpoint that had to wait for the latch's timeout would fail, and no snapshot would exist.
        JvmCommand command = JvmCommand.of(Samples.TIMED_WAITS, Long.toString(WAIT_MILLIS))
                .withAgent("dir=" + snapshots + ",interval=5s,timeout=2s");
        long firstStart = System.nanoTime();
        long killedAt;
        try (ForkedJvm first = ForkedJvm.start(command, work, "first")) {
            first.awaitLine(line -> line.startsWith("waiting"), "the waiting line", START_TIMEOUT);
            awaitSnapshot(snapshots, first);
            assertThat(first.stdoutLines()).as("still waiting when the snapshot was committed\n" + first.describe())
                    .noneMatch(line -> line.startsWith("waited"));
            first.killHard();
            killedAt = System.nanoTime();
        }
        long waitedAtMostMillis = TimeUnit.NANOSECONDS.toMillis(killedAt - firstStart);
        ForkedJvm.sleep(DEAD_FOR);

        long relaunchedAt = System.nanoTime();
        try (ForkedJvm second = ForkedJvm.start(command, work, "second")) {
            String waited = second.awaitLine(line -> line.startsWith("waited"), "the waited line",
                    Duration.ofMillis(WAIT_MILLIS).plus(START_TIMEOUT));
            long relaunchMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - relaunchedAt);
            second.awaitLine(line -> line.startsWith("then took"), "the last line", START_TIMEOUT);
            assertThat(second.stderr()).contains("stasis: resumed from snapshot");
            assertThat(second.stdoutLines()).as("resumed in the wait, not from the start")
                    .noneMatch(line -> line.startsWith("waiting"));
            assertThat(relaunchMillis).as("the relaunch waited at least what was left at the kill\n%s",
                    second.describe()).isGreaterThanOrEqualTo(WAIT_MILLIS - waitedAtMostMillis);
            assertThat(relaunchMillis).as("the relaunch did not wait the whole %d ms again\n%s", WAIT_MILLIS,
                    second.describe()).isLessThan(WAIT_MILLIS);
            assertThat(Long.parseLong(waited.replaceAll("\\D", ""))).as("the wait on the program's clock")
                    .isBetween(WAIT_MILLIS, WAIT_MILLIS + DEAD_FOR.toMillis() - 1);
            assertThat(second.stdoutLines()).as("exactly the elements and permits held before the wait\n%s",
                    second.describe()).containsSubsequence("opened false, took a, queue [b, c], permits 1",
                    "then took b and a permit");
            assertThat(second.awaitExit(START_TIMEOUT)).isZero();
        }
    }

    private static void awaitSnapshot(Path snapshots, ForkedJvm jvm) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!Files.exists(snapshots.resolve("snapshot-000001.stasis"))) {
            assertThat(System.nanoTime() < deadline && jvm.isAlive())
                    .as("waiting for a snapshot in " + snapshots + "\n" + jvm.describe()).isTrue();
            ForkedJvm.sleep(Duration.ofMillis(20));
        }
    }
}
