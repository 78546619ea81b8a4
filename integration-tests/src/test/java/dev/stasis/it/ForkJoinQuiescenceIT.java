package dev.stasis.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fork/join work is never captured half done: a checkpoint waits until the pool is quiescent. Rounds of
 * parallel streams (on the common pool, or on a {@code ForkJoinPool} the program holds, which is saved and
 * made again) checkpointed every 100 ms and killed at random moments end with the uninterrupted result, no
 * checkpoint failing; a parallel stream that runs longer than {@code timeout=} makes the CLI's checkpoint fail
 * saying the checkpoint waits for the pool, and the program finishes unharmed.
 */
class ForkJoinQuiescenceIT {
    private static final int KILLS = 3;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);
    /**
     * The resumed last run of the custom pool sometimes runs about 5x slower than the others (140 to 185 s instead
     * of 25 s for its rounds, main's long loop; seen with 2026-11-27's agent in about a third of hand-run trials,
     * cause not found): it may take 6 minutes and reports its time. What this test checks is its result.
     */
    private static final Duration LAST_RUN_TIMEOUT = Duration.ofMinutes(6);
    private static final RandomKillMoment KILL_MOMENT = new RandomKillMoment(1_000, 1_500);

    @TempDir
    Path work;

    @ParameterizedTest(name = "{0} pool")
    @ValueSource(strings = {"common", "custom"})
    void checkpoints_between_parallel_rounds_resume_to_the_uninterrupted_result(String pool) {
        long seed = Long.getLong("stasis.forkjoin.seed", System.nanoTime());
        Random random = new Random(seed);
        Path snapshotDir = work.resolve("snapshots");
        SnapshotDirectory snapshots = new SnapshotDirectory(snapshotDir);
        JvmCommand command = JvmCommand.of(Samples.PARALLEL_SUMS, pool, "200", "20000000", "10000000")
                .withAgent("dir=" + snapshotDir + ",interval=100ms");
        String reference = UninterruptedRuns.resultOf(command);
        String settings = pool + " pool, seed " + seed + " (repeat with -Dstasis.forkjoin.seed=" + seed + ")";
        List<String> kills = new ArrayList<>();
        for (int i = 1; i <= KILLS; i++) {
            kills.add(KILL_MOMENT.killOneAttempt(command, work, snapshots, random, "attempt-" + i, settings,
                    "checkpoint failed"));
        }
        long lastStart = System.nanoTime();
        try (ForkedJvm last = ForkedJvm.run(command, work, "final", LAST_RUN_TIMEOUT)) {
            System.out.printf("forkjoin: %s pool, last run took %d s%n", pool,
                    Duration.ofNanos(System.nanoTime() - lastStart).toSeconds());
            String context = settings + "\nkills: " + kills + "\n" + last.describe();
            assertThat(last.exitCode()).as(context).isZero();
            assertThat(last.stderr()).as(context).contains(RandomKillMoment.RESUMED).doesNotContain("checkpoint failed");
            assertThat(last.stdoutLines()).as(context).contains(reference);
        }
        assertThat(snapshots.broken()).as(settings).isEmpty();
    }

    @Test
    void a_parallel_stream_longer_than_the_timeout_fails_the_checkpoint_saying_it_waits_for_the_pool() {
        Path snapshots = work.resolve("snapshots");
        // One round of 5 billion numbers: several seconds of parallel work, longer than timeout=2s.
        JvmCommand command = JvmCommand.of(Samples.PARALLEL_SUMS, "common", "1", "5000000000", "1000")
                .withAgent("dir=" + snapshots + ",timeout=2s");
        try (ForkedJvm jvm = ForkedJvm.start(command, work, "long-round")) {
            jvm.awaitLine(line -> line.equals("round 0"), "the first round", START_TIMEOUT);
            AgentCli.Result checkpoint = AgentCli.checkpoint(jvm, work);
            boolean stillInRound = jvm.isAlive() && jvm.stdoutLines().stream().noneMatch(l -> l.startsWith("RESULT"));

            assertThat(stillInRound).as("the round ran through the attempt (else this test proves nothing)\n"
                    + jvm.describe()).isTrue();
            assertThat(checkpoint.exitCode()).as(checkpoint.describe()).isNotZero();
            assertThat(checkpoint.stderr()).as(checkpoint.describe()).contains("ForkJoinPool work")
                    .contains("a checkpoint waits until the pool is quiescent");
            assertThat(new SnapshotDirectory(snapshots).newestSnapshotId()).as("no snapshot written").isEmpty();
            assertThat(jvm.awaitExit(RUN_TIMEOUT)).as(jvm.describe()).isZero();
            assertThat(SampleOutput.resultOf(jvm)).startsWith("RESULT total ");
        }
    }
}
