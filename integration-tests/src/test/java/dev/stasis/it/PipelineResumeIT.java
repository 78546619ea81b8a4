package dev.stasis.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration WAIT_TIMEOUT = Duration.ofSeconds(60);
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
            kills.add(killOneAttempt(command, snapshots, random, String.format("attempt-%02d", i), settings));
        }
        try (ForkedJvm last = ForkedJvm.run(command, work, "final", RUN_TIMEOUT)) {
            String context = settings + "\nkills: " + kills + "\n" + last.describe();
            assertThat(last.exitCode()).as(context).isZero();
            assertThat(last.stderr()).as(context).contains(RESUMED).doesNotContain("checkpoint failed");
            assertThat(last.stdoutLines()).as(context).contains(reference);
        }
        assertThat(snapshots.broken()).as(settings).isEmpty();
        System.out.println("pipeline: " + KILLS + " kills " + kills + ", result identical; " + settings);
    }

    /**
     * Launches the pipeline and kills it: the first launch once it has a snapshot, later ones at a random moment
     * after they resumed, or now and then while they start and restore.
     */
    private String killOneAttempt(JvmCommand command, SnapshotDirectory snapshots, Random random, String name,
                                  String settings) {
        Optional<String> before = snapshots.newestSnapshotId();
        try (ForkedJvm jvm = ForkedJvm.start(command, work, name)) {
            String when = KILL_MOMENT.await(jvm, before.isPresent(),
                    () -> jvm.await(() -> snapshots.newestSnapshotId().isPresent(), "a first snapshot", WAIT_TIMEOUT),
                    "its first snapshot", random);
            if (!jvm.isAlive()) {
                fail("%s ended before it was killed (%s): the pipeline is too short for %d kills; %s%n%s", name, when,
                        KILLS, settings, jvm.describe());
            }
            jvm.killHard();
            assertThat(jvm.stderr()).as("%s: no checkpoint may fail; %s%n%s", name, settings, jvm.describe())
                    .doesNotContain("checkpoint failed");
            if (before.isPresent() && jvm.stderr().contains(RESUMED)) {
                assertThat(jvm.stderr()).as("%s resumed the newest snapshot; %s%n%s", name, settings, jvm.describe())
                        .contains(RESUMED + before.get() + " ");
            }
            return name + " " + when;
        }
    }
}
