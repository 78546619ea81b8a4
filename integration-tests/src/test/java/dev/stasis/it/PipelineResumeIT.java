package dev.stasis.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The multi-stage pipeline (a reader thread, a pool of worker threads and a writer thread over bounded
 * queues, main waiting in {@code join}) is checkpointed every few dozen milliseconds and killed with
 * {@code kill -9} at 20 random moments, relaunched each time; it ends with exactly the result of an
 * uninterrupted run: no item lost or handled twice across the queues. Most checkpoints find threads
 * blocked in {@code put} and {@code take}, which must not delay them.
 *
 * <p>{@code -Dstasis.pipeline.seed=S} repeats a run's choices (the kills are timed, so closely, not exactly).
 */
class PipelineResumeIT {
    private static final int KILLS = 20;
    private static final String ITEMS = "1000000";
    /**
     * The last run goes on from an early snapshot when the machine is loaded (checkpoints every 50 to 150 ms then
     * take most of the time): it took over 3 minutes twice under a concurrent build, about 1 minute alone.
     */
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(6);
    private static final RandomKillMoment KILL_MOMENT = new RandomKillMoment(400, 1_500);
    private static final String RESUMED = RandomKillMoment.RESUMED;

    @TempDir
    Path work;

    @Test
    void killed_at_20_random_moments_and_resumed_it_ends_with_the_uninterrupted_result() {
        long seed = Long.getLong("stasis.pipeline.seed", System.nanoTime());
        Random random = new Random(seed);
        int intervalMillis = 50 + random.nextInt(101);
        Path snapshotDir = work.resolve("snapshots");
        SnapshotDirectory snapshots = new SnapshotDirectory(snapshotDir);
        JvmCommand command = JvmCommand.of(Samples.STAGED_PIPELINE, ITEMS, "4", "64")
                .withAgent("dir=" + snapshotDir + ",interval=" + intervalMillis + "ms");
        String reference = UninterruptedRuns.resultOf(command);
        String settings = "seed " + seed + " (repeat with -Dstasis.pipeline.seed=" + seed + "), interval "
                + intervalMillis + " ms";

        List<String> kills = new ArrayList<>();
        for (int i = 1; i <= KILLS; i++) {
            kills.add(KILL_MOMENT.killOneAttempt(command, work, snapshots, random, String.format("attempt-%02d", i),
                    settings, "checkpoint failed"));
        }
        long finalStarted = System.nanoTime();
        try (ForkedJvm last = ForkedJvm.run(command, work, "final", RUN_TIMEOUT)) {
            String context = settings + "\nkills: " + kills + "\n" + last.describe();
            assertThat(last.exitCode()).as(context).isZero();
            assertThat(last.stderr()).as(context).contains(RESUMED).doesNotContain("checkpoint failed");
            assertThat(last.stdoutLines()).as(context).contains(reference);
        }
        assertThat(snapshots.broken()).as(settings).isEmpty();
        System.out.println("pipeline: " + KILLS + " kills " + kills + ", result identical (last run "
                + Duration.ofNanos(System.nanoTime() - finalStarted).toSeconds() + " s); " + settings);
    }

}
