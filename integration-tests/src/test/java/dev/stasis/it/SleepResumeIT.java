package dev.stasis.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Thread.sleep} is a safepoint on the offset clock: a checkpoint does not wait for a 30 s sleep
 * to end, and after {@code kill -9} and a relaunch the program sleeps only what was left, measured on a
 * clock that did not run while the program was dead.
 */
class SleepResumeIT {
    private static final long SLEEP_MILLIS = 30_000;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration DEAD_FOR = Duration.ofSeconds(4);

    @TempDir
    Path work;

    @Test
    void a_sleeping_main_thread_is_checkpointed_at_once_and_resumes_with_only_the_rest_of_its_sleep() {
        Path snapshots = work.resolve("snapshots");
        // timeout=2s: a checkpoint that had to wait for the sleep to end would fail, and no snapshot would exist.
        JvmCommand command = JvmCommand.of(Samples.LONG_SLEEP, Long.toString(SLEEP_MILLIS))
                .withAgent("dir=" + snapshots + ",interval=5s,timeout=2s");
        long firstStart = System.nanoTime();
        long killedAt;
        try (ForkedJvm first = ForkedJvm.start(command, work, "first")) {
            first.awaitLine(line -> line.startsWith("sleeping"), "the sleeping line", START_TIMEOUT);
            awaitSnapshot(snapshots, first);
            assertThat(first.stdoutLines()).as("still asleep when the snapshot was committed\n" + first.describe())
                    .noneMatch(line -> line.startsWith("woke"));
            first.killHard();
            killedAt = System.nanoTime();
        }
        // At the last checkpoint at most this much of the sleep had passed on the program's clock.
        long sleptAtMostMillis = TimeUnit.NANOSECONDS.toMillis(killedAt - firstStart);
        ForkedJvm.sleep(DEAD_FOR);

        long relaunchedAt = System.nanoTime();
        try (ForkedJvm second = ForkedJvm.start(command, work, "second")) {
            String woke = second.awaitLine(line -> line.startsWith("woke"), "the woke line",
                    Duration.ofMillis(SLEEP_MILLIS).plus(START_TIMEOUT));
            long relaunchMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - relaunchedAt);
            assertThat(second.stderr()).contains("stasis: resumed from snapshot");
            assertThat(second.stdoutLines()).as("resumed in the sleep, not from the start")
                    .noneMatch(line -> line.startsWith("sleeping"));
            assertThat(relaunchMillis).as("the relaunch slept at least what was left at the kill; had the %s it was"
                    + " dead counted, it would have woken %s earlier\n%s", DEAD_FOR, DEAD_FOR, second.describe())
                    .isGreaterThanOrEqualTo(SLEEP_MILLIS - sleptAtMostMillis);
            assertThat(relaunchMillis).as("the relaunch did not sleep the whole %d ms again\n%s", SLEEP_MILLIS,
                    second.describe()).isLessThan(SLEEP_MILLIS);
            long sleptMillis = Long.parseLong(woke.replaceAll("\\D", ""));
            assertThat(sleptMillis).as("the sleep on the program's clock: all of it, and not much more")
                    .isBetween(SLEEP_MILLIS, SLEEP_MILLIS + DEAD_FOR.toMillis() - 1);
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
