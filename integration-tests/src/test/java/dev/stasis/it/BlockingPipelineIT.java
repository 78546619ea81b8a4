package dev.stasis.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Producer, relay and consumer threads and main, each nearly always blocked in a queue's {@code put} or
 * {@code take}, an {@code Exchanger}, a {@code Phaser}, a {@code Semaphore}, a {@code CountDownLatch} or
 * {@code Thread.join}: a checkpoint taken from outside at a random moment captures every one of them where it
 * waits, and after {@code kill -9} and a relaunch the program ends with exactly the result of an uninterrupted
 * run (a number lost or taken twice would change the sum or the counts, or leave a thread waiting forever).
 */
class BlockingPipelineIT {
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final int MOMENTS = 3;

    @TempDir
    Path work;

    @Test
    void threads_blocked_in_every_kind_of_wait_resume_after_kill_with_the_uninterrupted_result() {
        // 1000 numbers, 8 ms after each: at least 8 s, nearly all of it spent waiting in the calls above, so the
        // checkpoint (a random delay, then the CLI's own start) comes well before the end.
        JvmCommand plain = JvmCommand.of(Samples.BLOCKING_PIPELINE, "1000", "8");
        String reference = UninterruptedRuns.resultOf(plain);
        assertThat(reference).isEqualTo("RESULT sum 500500 of 1000 numbers, 100 exchanged, last phase 40");
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int moment = 1; moment <= MOMENTS; moment++) {
            long delayMillis = random.nextInt(2_000);
            JvmCommand command = plain.withAgent("dir=" + work.resolve("snapshots-" + moment) + ",timeout=5s");
            String snapshot;
            try (ForkedJvm first = ForkedJvm.start(command, work, "first-" + moment)) {
                first.awaitLine(line -> line.startsWith("started"), "the started line", START_TIMEOUT);
                ForkedJvm.sleep(Duration.ofMillis(delayMillis));
                snapshot = AgentCli.checkpointOrFail(first, work);
                assertThat(first.stdoutLines()).as("the checkpoint came before the end\n" + first.describe())
                        .noneMatch(line -> line.startsWith("RESULT"));
                first.killHard();
            }
            try (ForkedJvm resumed = ForkedJvm.run(command, work, "resumed-" + moment, RUN_TIMEOUT)) {
                String context = "checkpoint " + delayMillis + " ms after start (seed " + seed + ")\n" + resumed.describe();
                assertThat(resumed.exitCode()).as(context).isZero();
                assertThat(resumed.stderr()).as(context).contains("stasis: resumed from snapshot " + snapshot);
                assertThat(resumed.stdoutLines()).as("resumed where the threads waited, not from the start\n" + context)
                        .noneMatch(line -> line.startsWith("started"));
                List<String> results = resumed.stdoutLines().stream().filter(line -> line.startsWith("RESULT")).toList();
                assertThat(results).as(context).containsExactly(reference);
            }
        }
    }
}
