package dev.stasis.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

/**
 * Application threads blocked in monitor waits ({@code synchronized} methods), condition waits and a
 * cyclic barrier when a checkpoint is taken: they are captured at once, holding no lock, the process is
 * killed with {@code kill -9}, and the relaunch finishes with exactly the output of an uninterrupted run
 * (no item handed over twice or lost, no barrier round lost or broken).
 */
class WaitingThreadsResumeIT {
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /**
     * Items per hand-off, barrier rounds, pause between items (ms): about 4 s uninterrupted, the hand-offs and
     * the barrier rounds alike, so a checkpoint at any moment finds consumers, producers and workers waiting.
     */
    private static final String[] ARGUMENTS = {"1500", "600", "2"};

    @TempDir
    Path work;

    @RepeatedTest(3)
    void threads_blocked_in_waits_are_checkpointed_killed_and_resumed_with_the_uninterrupted_output() {
        JvmCommand command = JvmCommand.of(Samples.WAITING_THREADS, ARGUMENTS)
                .withAgent("dir=" + work.resolve("snapshots") + ",timeout=5s");
        List<String> reference = UninterruptedRuns.stdoutOf(command);
        long seed = System.nanoTime();
        long delayMillis = 200 + new Random(seed).nextInt(2_000);
        String snapshot;
        try (ForkedJvm first = ForkedJvm.start(command, work, "first")) {
            first.awaitLine(line -> line.startsWith("starting"), "the starting line", START_TIMEOUT);
            ForkedJvm.sleep(Duration.ofMillis(delayMillis));
            assertThat(first.stdoutLines()).as("still running at the checkpoint (else this proves nothing)\n"
                    + first.describe()).noneMatch(line -> line.startsWith("RESULT"));
            snapshot = AgentCli.checkpointOrFail(first, work);
            first.killHard();
        }
        try (ForkedJvm resumed = ForkedJvm.run(command, work, "resumed", RUN_TIMEOUT)) {
            String context = "checkpoint " + delayMillis + " ms after start (seed " + seed + ")\n" + resumed.describe();
            assertThat(resumed.exitCode()).as(context).isZero();
            assertThat(resumed.stderr()).as(context).contains("stasis: resumed from snapshot " + snapshot);
            assertThat(resumed.stdoutLines()).as("resumed after the start line\n" + context)
                    .isEqualTo(reference.subList(1, reference.size()));
        }
    }
}
