package dev.stasis.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A third-party library, unmodified: sat4j proving PHP(10, 9) unsatisfiable, checkpointed
 * mid-search, killed and resumed, ends with the same answer and the same search statistics
 * (decisions, propagations, conflicts, ...) as a search that was never interrupted.
 */
class PigeonholeResumeIT {

    /** About 8 s without the agent on 2 cores: the search is well under way after a second or two. */
    private static final String HOLES = "9";
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(4);

    @TempDir
    Path work;

    @Test
    void resumed_solver_gives_the_same_answer_and_statistics() {
        JvmCommand command = JvmCommand.of(Samples.PIGEONHOLE, HOLES).withAgent("dir=" + work.resolve("snapshots"));
        List<String> expected = answerAndStatistics(UninterruptedRuns.stdoutOf(command));
        long seed = System.nanoTime();
        long delayMillis = 500 + new Random(seed).nextInt(2_000);
        String snapshot;
        try (ForkedJvm first = ForkedJvm.start(command, work, "first")) {
            first.awaitLine(line -> line.startsWith("solving "), "that it started solving", Duration.ofSeconds(60));
            ForkedJvm.sleep(Duration.ofMillis(delayMillis));
            snapshot = AgentCli.checkpointOrFail(first, work);
            first.killHard();
            assertThat(answerAndStatistics(first.stdoutLines()))
                    .as("the checkpoint was taken mid-search (the killed run had not answered yet)\n" + first.describe())
                    .isEmpty();
        }
        try (ForkedJvm resumed = ForkedJvm.run(command, work, "resumed", RUN_TIMEOUT)) {
            String context = "checkpoint " + delayMillis + " ms into the search (seed " + seed + ")\n" + resumed.describe();
            assertThat(resumed.exitCode()).as(context).isZero();
            assertThat(resumed.stderr()).as(context).contains("stasis: resumed from snapshot " + snapshot);
            assertThat(resumed.stdoutLines()).as("the resumed run did not start the search over\n" + context)
                    .noneMatch(line -> line.startsWith("solving "));
            assertThat(answerAndStatistics(resumed.stdoutLines())).as(context)
                    .contains("ANSWER UNSAT")
                    .isEqualTo(expected);
        }
    }

    private static List<String> answerAndStatistics(List<String> stdout) {
        return stdout.stream().filter(line -> line.startsWith("ANSWER ") || line.startsWith("STAT ")).toList();
    }
}
