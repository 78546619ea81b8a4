package dev.stasis.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A crawler on virtual threads (the virtual threads sample: fetching a page sleeps for it as for a slow server, then
 * digests it, records it in a synchronized ledger and adds to a lock-guarded total), either on 64 virtual threads that
 * main waits for in {@code join}, or one virtual thread per page from {@code newVirtualThreadPerTaskExecutor()}, 64 at
 * a time, main waiting for their futures, runs
 * on JDK 25, is checkpointed every 100-200 ms and killed with {@code kill -9} at random moments, relaunched each
 * time. Most checkpoints find the virtual threads asleep, some digesting; every one must succeed. The job ends with
 * the result of an uninterrupted run: every page fetched exactly once, the same digest and byte total.
 *
 * <p>{@code -Dstasis.virtual.seed=S} repeats a run's choices (the kills are timed, so closely, not exactly).
 */
class VirtualThreadResumeIT {
    private static final int KILLS = 6;
    private static final String THREADS = "64";
    private static final String PAGES = "4000";
    /** About 15 s uninterrupted on a 2-core machine: every kill finds the job still running. */
    private static final String ROUNDS = "2000000";
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(4);
    private static final RandomKillMoment KILL_MOMENT = new RandomKillMoment(1_500, 1_500);
    private static final String RESUMED = RandomKillMoment.RESUMED;

    @TempDir
    Path work;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"threads", "executor"})
    void killed_at_random_moments_on_jdk_25_and_resumed_it_ends_with_the_uninterrupted_result(String mode) {
        String jdk25 = TestEnvironment.jdk25();
        assumeTrue(jdk25 != null, "Temurin 25 is not installed at the path given by stasis.jdk25.java");
        long seed = Long.getLong("stasis.virtual.seed", System.nanoTime());
        Random random = new Random(seed);
        int intervalMillis = 100 + random.nextInt(101);
        Path snapshotDir = work.resolve("snapshots");
        SnapshotDirectory snapshots = new SnapshotDirectory(snapshotDir);
        JvmCommand command = JvmCommand.of(Samples.VIRTUAL_FETCH, mode, THREADS, PAGES, ROUNDS).withJava(jdk25)
                .withAgent("dir=" + snapshotDir + ",interval=" + intervalMillis + "ms");
        String reference = UninterruptedRuns.resultOf(command);
        assertThat(reference).as("the uninterrupted run").endsWith("each fetched once true");
        String settings = mode + ", seed " + seed + " (repeat with -Dstasis.virtual.seed=" + seed + "), interval "
                + intervalMillis + " ms";

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
        System.out.println("virtual threads: " + KILLS + " kills " + kills + ", result identical; " + settings);
    }

    /**
     * A snapshot holding virtual threads, relaunched on JDK 17 (which has none), stops the start with the reason and
     * leaves the snapshot as it was: relaunched on JDK 25 after that, the job resumes it and ends whole.
     */
    @Test
    void a_snapshot_of_virtual_threads_relaunched_on_jdk_17_is_refused_as_needing_another_jdk_and_kept() {
        String jdk25 = TestEnvironment.jdk25();
        assumeTrue(jdk25 != null, "Temurin 25 is not installed at the path given by stasis.jdk25.java");
        Path snapshotDir = work.resolve("snapshots");
        SnapshotDirectory snapshots = new SnapshotDirectory(snapshotDir);
        JvmCommand on25 = JvmCommand.of(Samples.VIRTUAL_FETCH, "threads", THREADS, PAGES, ROUNDS).withJava(jdk25)
                .withAgent("dir=" + snapshotDir + ",interval=150ms");
        String reference = UninterruptedRuns.resultOf(on25);
        try (ForkedJvm first = ForkedJvm.start(on25, work, "on-25")) {
            // A snapshot taken once the fetchers run: the first ones may come before main started any.
            first.awaitLine(line -> line.startsWith("fetched "), "a first fetch report", Duration.ofSeconds(60));
            Optional<String> before = snapshots.newestSnapshotId();
            first.await(() -> !snapshots.newestSnapshotId().equals(before), "a snapshot of the fetchers",
                    Duration.ofSeconds(60));
            first.killHard();
        }
        String taken = snapshots.newestSnapshotId().orElseThrow();

        JvmCommand on17 = on25.withJava(TestEnvironment.java());
        try (ForkedJvm refused = ForkedJvm.run(on17, work, "on-17", RUN_TIMEOUT)) {
            assertThat(refused.exitCode()).as(refused.describe()).isEqualTo(2);
            assertThat(refused.stderr()).as(refused.describe())
                    .contains("stasis: snapshot " + taken + " needs another JDK (")
                    .contains("the data needs JDK class java.lang.VirtualThread, which this JVM (Java 17")
                    .contains("the snapshot holds virtual threads; resume it on JDK 21 or later")
                    .contains("It was left as it is.");
            assertThat(refused.stdoutLines()).as("the job did not start over").isEmpty();
        }
        assertThat(snapshots.newestSnapshotId()).contains(taken);

        try (ForkedJvm resumed = ForkedJvm.run(on25, work, "on-25-again", RUN_TIMEOUT)) {
            assertThat(resumed.exitCode()).as(resumed.describe()).isZero();
            assertThat(resumed.stderr()).as(resumed.describe()).contains(RESUMED + taken + " ")
                    .as("main and the 64 virtual fetchers").contains(", 65 threads, ");
            assertThat(resumed.stdoutLines()).as(resumed.describe()).contains(reference);
        }
    }
}
