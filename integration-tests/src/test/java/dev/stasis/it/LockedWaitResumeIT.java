package dev.stasis.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Waits that return holding a lock are safepoints: main waiting in a {@code Condition.awaitNanos} under a
 * lock it holds twice, in an {@code Object.wait} of a {@code synchronized} method, or at a
 * {@code CyclicBarrier}, is checkpointed at once (the checkpoint timeout is far shorter than the wait);
 * after {@code kill -9} and a relaunch it resumes in the wait, the lock saved unlocked is taken back with
 * its holds and fairness, and the wait ends at its deadline on the program's clock, not before and not a
 * whole wait later. Inside a second {@code synchronized} block (which the wait does not let go of) a thread is
 * never captured: the checkpoint fails with a message naming the thread, the monitor and the frame, and the
 * program finishes unharmed.
 */
class LockedWaitResumeIT {
    private static final long WAIT_MILLIS = 12_000;
    /** Long enough for a checkpoint from the CLI to time out (2 s) while the program still waits. */
    private static final long BLOCK_WAIT_MILLIS = 7_000;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration DEAD_FOR = Duration.ofSeconds(2);

    @TempDir
    Path work;

    @ParameterizedTest(name = "{0} on JDK {2}")
    @CsvSource(delimiter = '|', value = {
            "condition | condition: holds 2, fair true, waiters 0             | 17",
            "monitor   | monitor: holds true                                  | 17",
            "barrier   | barrier: timed out, broken true, parties waiting 0   | 17",
            "block     | block: holds true                                    | 17",
            // The helpers read lock and barrier internals by reflection from the bootstrap loader: on 25 too.
            "condition | condition: holds 2, fair true, waiters 0             | 25",
            "barrier   | barrier: timed out, broken true, parties waiting 0   | 25",
            // The block's monitor exit and entry are generated code; on 25 a virtual thread's monitors are read
            // from its own frames.
            "block         | block: holds true                            | 25",
            "virtual-block | virtual block: holds true                    | 25"})
    void a_thread_in_the_wait_is_checkpointed_at_once_and_resumes_in_it_with_its_lock_back(String kind, String holding,
            int jdk) {
        Path snapshots = work.resolve("snapshots");
        // timeout=2s: a checkpoint that had to wait for the wait to end would fail, and no snapshot would exist.
        JvmCommand command = JvmCommand.of(Samples.LOCKED_WAIT, kind, Long.toString(WAIT_MILLIS))
                .withAgent("dir=" + snapshots + ",interval=2s,timeout=2s");
        if (jdk == 25) {
            String jdk25 = TestEnvironment.jdk25();
            assumeTrue(jdk25 != null, "Temurin 25 is not installed at the path given by stasis.jdk25.java");
            command = command.withJava(jdk25);
        }
        long firstStart = System.nanoTime();
        long killedAt;
        try (ForkedJvm first = ForkedJvm.start(command, work, "first")) {
            first.awaitLine(line -> line.startsWith("waiting"), "the waiting line", START_TIMEOUT);
            // The third periodic snapshot: half the wait is then left, so a relaunch that waited it all again
            // would stand out from one that waits the rest, however slowly the JVM starts.
            awaitSnapshot(snapshots, "snapshot-000003.stasis", first);
            assertThat(first.stdoutLines()).as("still waiting when the snapshot was committed\n" + first.describe())
                    .noneMatch(line -> line.startsWith("waited"));
            first.killHard();
            killedAt = System.nanoTime();
        }
        long waitedAtMostMillis = TimeUnit.NANOSECONDS.toMillis(killedAt - firstStart);
        ForkedJvm.sleep(DEAD_FOR);

        long relaunchedAt = System.nanoTime();
        try (ForkedJvm second = ForkedJvm.start(command, work, "second")) {
            second.awaitLine(line -> line.equals(holding), "the holding line",
                    Duration.ofMillis(WAIT_MILLIS).plus(START_TIMEOUT));
            long relaunchMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - relaunchedAt);
            assertThat(second.stderr()).contains("stasis: resumed from snapshot");
            assertThat(second.stdoutLines()).as("resumed in the wait, not from the start\n" + second.describe())
                    .noneMatch(line -> line.startsWith("waiting"));
            assertThat(relaunchMillis).as("the relaunch waited at least what was left at the kill\n%s", second.describe())
                    .isGreaterThanOrEqualTo(WAIT_MILLIS - waitedAtMostMillis);
            assertThat(relaunchMillis).as("the relaunch did not wait the whole %d ms again\n%s", WAIT_MILLIS,
                    second.describe()).isLessThan(WAIT_MILLIS);
            String waited = second.stdoutLines().stream().filter(line -> line.startsWith("waited")).findFirst()
                    .orElseThrow();
            assertThat(Long.parseLong(waited.replaceAll("\\D", ""))).as("the wait on the program's clock: all of it,"
                    + " and not the time it was dead").isBetween(WAIT_MILLIS, WAIT_MILLIS + DEAD_FOR.toMillis() - 1);
            assertThat(second.awaitExit(START_TIMEOUT)).isZero();
        }
    }

    @Test
    void a_thread_in_an_untimed_condition_wait_is_checkpointed_and_a_signal_after_the_checkpoint_wakes_it() {
        Path snapshots = work.resolve("snapshots");
        JvmCommand command = JvmCommand.of(Samples.LOCKED_WAIT, "signalled", snapshots.resolve("snapshot-000001.stasis")
                .toString()).withAgent("dir=" + snapshots + ",timeout=2s");
        try (ForkedJvm jvm = ForkedJvm.start(command, work, "signalled")) {
            jvm.awaitLine(line -> line.startsWith("waiting"), "the waiting line", START_TIMEOUT);
            AgentCli.checkpointOrFail(jvm, work); // the signaller waits for this snapshot's file

            assertThat(jvm.awaitExit(START_TIMEOUT)).as(jvm.describe()).isZero();
            assertThat(jvm.stdoutLines()).as(jvm.describe()).containsExactly("waiting for a signal",
                    "signalled: holds 2, fair true");
        }
    }

    @Test
    void a_wait_inside_an_outer_synchronized_block_fails_the_checkpoint_naming_thread_monitor_and_frame_and_the_program_finishes() {
        JvmCommand command = JvmCommand.of(Samples.LOCKED_WAIT, "nested", Long.toString(BLOCK_WAIT_MILLIS))
                .withAgent("dir=" + work.resolve("snapshots") + ",timeout=2s");
        try (ForkedJvm jvm = ForkedJvm.start(command, work, "nested")) {
            jvm.awaitLine(line -> line.startsWith("waiting"), "the waiting line", START_TIMEOUT);
            AgentCli.Result checkpoint = AgentCli.checkpoint(jvm, work);
            boolean stillWaiting = jvm.isAlive() && jvm.stdoutLines().stream().noneMatch(line -> line.startsWith("waited"));

            assertThat(stillWaiting).as("the wait outlasted the checkpoint attempt (else this test proves nothing)\n"
                    + jvm.describe()).isTrue();
            assertThat(checkpoint.exitCode()).as(checkpoint.describe()).isNotZero();
            assertThat(checkpoint.stderr()).as(checkpoint.describe())
                    .contains("thread main could not stop at a capturable point")
                    .contains("at dev.stasis.samples.waits.LockedWait.nested(LockedWait.java:")
                    .contains("holds the monitor of java.lang.Object@")
                    .contains("a thread is captured only outside synchronized blocks");
            assertThat(jvm.awaitExit(Duration.ofMillis(BLOCK_WAIT_MILLIS).plus(START_TIMEOUT))).as(jvm.describe()).isZero();
            assertThat(jvm.stdoutLines()).as(jvm.describe()).contains("block: holds true, outer true");
        }
    }

    private static void awaitSnapshot(Path snapshots, String name, ForkedJvm jvm) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!Files.exists(snapshots.resolve(name))) {
            assertThat(System.nanoTime() < deadline && jvm.isAlive())
                    .as("waiting for a snapshot in " + snapshots + "\n" + jvm.describe()).isTrue();
            ForkedJvm.sleep(Duration.ofMillis(20));
        }
    }
}
