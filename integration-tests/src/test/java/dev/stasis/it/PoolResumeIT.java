package dev.stasis.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A job whose work runs on a thread pool (the pools sample: a fixed pool with tasks queued behind the running
 * ones, some through {@code execute}; a cached pool handing tasks straight to idle workers; a single-thread
 * executor; {@code CompletableFuture.supplyAsync}, chains of {@code CompletableFuture} async stages ({@code
 * thenApplyAsync}, {@code thenCombineAsync}, {@code thenComposeAsync}, {@code handleAsync}, {@code
 * whenCompleteAsync}, {@code thenAcceptAsync}, {@code thenRunAsync}), {@code invokeAll} and an {@code
 * ExecutorCompletionService} on a fixed pool; the scheduled sample, a periodic task and a delayed one on a {@code
 * ScheduledThreadPoolExecutor}, where the delayed task must not run early) is checkpointed every 100-200 ms and killed
 * with {@code kill -9} at random moments, relaunched each time. Most checkpoints find tasks in flight on the
 * workers (for the stages, stages of every kind the chain uses) and main blocked in {@code Future.get}, {@code
 * invokeAll} or {@code CompletionService.take}; every one
 * must succeed. The job ends with the result of an
 * uninterrupted run: every chunk ran exactly once, every {@code Future} completed with its chunk's result, and
 * the pool, shut down at the end, terminated.
 *
 * <p>{@code -Dstasis.pools.seed=S} repeats a run's choices (the kills are timed, so closely, not exactly).
 */
class PoolResumeIT {
    private static final int KILLS = 5;
    /** Long enough on a fast machine for every kill to find the job still running (each attempt gets on). */
    private static final String ITERATIONS = "50000000";
    /** The scheduled sample's one-shot task: due after several kills and resumes. */
    private static final String DELAY_MILLIS = "6000";
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);
    private static final RandomKillMoment KILL_MOMENT = new RandomKillMoment(1_200, 1_500);
    private static final String RESUMED = RandomKillMoment.RESUMED;

    @TempDir
    Path work;

    /** {@code chunks}: the scheduled sample's ticks; {@code wave}: unused by it. */
    @ParameterizedTest(name = "{0} pool on JDK {3}")
    @CsvSource({"fixed, 48, 6, 17", "cached, 48, 4, 17", "single, 48, 4, 17", "completable, 48, 6, 17",
            "invokeall, 48, 6, 17", "completion, 48, 6, 17", "scheduled, 500, 0, 17", "fixed, 48, 6, 25",
            "completable, 48, 6, 25", "scheduled, 500, 0, 25", "stages, 48, 6, 17", "stages, 48, 6, 25"})
    void killed_at_random_moments_and_resumed_it_ends_with_the_uninterrupted_result(String kind, String chunks,
                                                                                    String wave, int jdk) {
        long seed = Long.getLong("stasis.pools.seed", System.nanoTime());
        Random random = new Random(seed);
        int intervalMillis = 100 + random.nextInt(101);
        Path snapshotDir = work.resolve("snapshots");
        SnapshotDirectory snapshots = new SnapshotDirectory(snapshotDir);
        JvmCommand command = (kind.equals("scheduled")
                ? JvmCommand.of(Samples.SCHEDULED_TICKS, chunks, DELAY_MILLIS)
                : JvmCommand.of(Samples.POOL_JOB, kind, chunks, ITERATIONS, wave))
                .withAgent("dir=" + snapshotDir + ",interval=" + intervalMillis + "ms");
        if (jdk == 25) {
            String jdk25 = TestEnvironment.jdk25();
            assumeTrue(jdk25 != null, "Temurin 25 is not installed at the path given by stasis.jdk25.java");
            command = command.withJava(jdk25);
        }
        String reference = UninterruptedRuns.resultOf(command);
        assertThat(reference).as("the uninterrupted run").contains(kind.equals("scheduled")
                ? "delayed task not early true, pool terminated true" : "each ran once true, pool terminated true");
        String settings = kind + " pool, JDK " + jdk + ", seed " + seed + " (repeat with -Dstasis.pools.seed=" + seed
                + "), interval " + intervalMillis + " ms";

        List<String> kills = new ArrayList<>();
        for (int i = 1; i <= KILLS; i++) {
            kills.add(KILL_MOMENT.killOneAttempt(command, work, snapshots, random, String.format("attempt-%02d", i),
                    settings, "checkpoint failed", "ERROR"));
        }
        try (ForkedJvm last = ForkedJvm.run(command, work, "final", RUN_TIMEOUT)) {
            String context = settings + "\nkills: " + kills + "\n" + last.describe();
            assertThat(last.exitCode()).as(context).isZero();
            assertThat(last.stderr()).as(context).contains(RESUMED).doesNotContain("checkpoint failed")
                    .doesNotContain("ERROR");
            assertThat(last.stdoutLines()).as(context).contains(reference);
        }
        assertThat(snapshots.broken()).as(settings).isEmpty();
        System.out.println("pools: " + KILLS + " kills " + kills + ", result identical; " + settings);
    }

}
