package dev.stasis.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promise itself: the sample job, checkpointed at a random moment from outside, killed with
 * {@code kill -9} and relaunched with the same command, finishes with exactly the output of a run
 * that was never interrupted.
 */
class KillAndResumeIT {

    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path work;

    private JvmCommand job() {
        return Samples.job(work.resolve("snapshots"));
    }

    @Test
    void resumes_after_kill_at_a_random_moment_with_the_uninterrupted_result() {
        resumesAfterKillAtARandomMoment(job(), "jdk17");
    }

    @Test
    void resumes_after_kill_at_a_random_moment_on_jdk25() {
        String jdk25 = TestEnvironment.jdk25();
        assumeTrue(jdk25 != null, "Temurin 25 is not installed at the path given by stasis.jdk25.java");
        resumesAfterKillAtARandomMoment(job().withJava(jdk25), "jdk25");
    }

    private void resumesAfterKillAtARandomMoment(JvmCommand command, String label) {
        List<String> reference = UninterruptedRuns.stdoutOf(command.withJava(TestEnvironment.java()));
        long seed = System.nanoTime();
        long delayMillis = new Random(seed).nextInt(2_000);
        String snapshot;
        String lastBeforeCheckpoint;
        try (ForkedJvm first = ForkedJvm.start(command, work, label + "-first")) {
            first.awaitLine(SampleOutput::isProgress, "a progress line", START_TIMEOUT);
            ForkedJvm.sleep(Duration.ofMillis(delayMillis));
            lastBeforeCheckpoint = SampleOutput.lastProgress(first.stdoutLines());
            snapshot = AgentCli.checkpointOrFail(first, work);
            first.killHard();
        }

        try (ForkedJvm resumed = ForkedJvm.run(command, work, label + "-resumed", RUN_TIMEOUT)) {
            String context = "checkpoint " + delayMillis + " ms after the first progress line (seed " + seed + ")\n"
                    + resumed.describe();
            assertThat(resumed.exitCode()).as(context).isZero();
            assertThat(resumed.stderr()).as(context).contains("stasis: resumed from snapshot " + snapshot);
            List<String> progress = SampleOutput.progressLines(resumed.stdoutLines());
            assertThat(progress).as(context).isNotEmpty();
            assertThat(SampleOutput.stepOf(progress.get(0)))
                    .as("the resumed run went on from the checkpoint, it did not start over\n" + context)
                    .isGreaterThan(SampleOutput.stepOf(lastBeforeCheckpoint));
            assertContinuesReference(resumed.stdoutLines(), reference, context);
        }
    }

    @Test
    void checkpoints_three_times_and_continues_with_identical_output() {
        JvmCommand command = job();
        List<String> reference = UninterruptedRuns.stdoutOf(command);
        try (ForkedJvm run = ForkedJvm.start(command, work, "run")) {
            run.awaitLine(SampleOutput::isProgress, "a progress line", START_TIMEOUT);
            String firstId = AgentCli.checkpointOrFail(run, work);
            String secondId = AgentCli.checkpointOrFail(run, work);
            String thirdId = AgentCli.checkpointOrFail(run, work);
            int exitCode = run.awaitExit(RUN_TIMEOUT);

            assertThat(List.of(firstId, secondId, thirdId)).doesNotHaveDuplicates();
            assertThat(exitCode).as(run.describe()).isZero();
            assertThat(run.stdoutLines()).as("output of a run checkpointed three times\n" + run.describe())
                    .isEqualTo(reference);
            assertThat(run.stderr()).doesNotContain("resumed from snapshot");
            AgentCli.Result list = AgentCli.list(work.resolve("snapshots"), work);
            assertThat(list.stdout()).as(list.describe()).contains(firstId, secondId, thirdId);
        }
    }

    @Test
    void resumes_a_chain_of_resume_checkpoint_kill_with_the_uninterrupted_result() {
        JvmCommand command = job();
        List<String> reference = UninterruptedRuns.stdoutOf(command);
        String firstSnapshot;
        try (ForkedJvm first = ForkedJvm.start(command, work, "first")) {
            first.awaitLine(SampleOutput::isProgress, "a progress line", START_TIMEOUT);
            firstSnapshot = AgentCli.checkpointOrFail(first, work);
            first.killHard();
        }
        String secondSnapshot;
        try (ForkedJvm second = ForkedJvm.start(command, work, "second")) {
            second.awaitLine(SampleOutput::isProgress, "a progress line after resuming", START_TIMEOUT);
            assertThat(second.stderr()).as(second.describe()).contains("stasis: resumed from snapshot " + firstSnapshot);
            secondSnapshot = AgentCli.checkpointOrFail(second, work);
            second.killHard();
            assertContinuesReference(second.stdoutLines(), reference, second.describe());
        }
        try (ForkedJvm third = ForkedJvm.run(command, work, "third", RUN_TIMEOUT)) {
            assertThat(third.exitCode()).as(third.describe()).isZero();
            assertThat(third.stderr()).as(third.describe()).contains("stasis: resumed from snapshot " + secondSnapshot);
            assertContinuesReference(third.stdoutLines(), reference, third.describe());
        }
    }

    @Test
    void does_not_resume_a_run_that_ended_normally() {
        JvmCommand command = job();
        List<String> reference = UninterruptedRuns.stdoutOf(command);
        try (ForkedJvm finished = ForkedJvm.start(command, work, "finished")) {
            finished.awaitLine(SampleOutput::isProgress, "a progress line", START_TIMEOUT);
            AgentCli.checkpointOrFail(finished, work);
            assertThat(finished.awaitExit(RUN_TIMEOUT)).as(finished.describe()).isZero();
            assertThat(SampleOutput.resultOf(finished)).isEqualTo(UninterruptedRuns.resultOf(command));
        }
        try (ForkedJvm again = ForkedJvm.start(command, work, "again")) {
            String firstLine = again.awaitLine(SampleOutput::isProgress, "a progress line", START_TIMEOUT);
            again.killHard();
            assertThat(again.stderr()).as(again.describe()).doesNotContain("resumed from snapshot");
            assertThat(firstLine).as("a relaunch after a normal end starts from the first step")
                    .isEqualTo(SampleOutput.progressLines(reference).get(0));
        }
    }

    /**
     * Every line the resumed run printed is the reference's line at the same place: it continues
     * the uninterrupted output (the same running checksums, nothing repeated or skipped) and, when
     * it ran to the end, ends with the same {@code RESULT}.
     */
    static void assertContinuesReference(List<String> resumed, List<String> reference, String context) {
        assertThat(resumed).as("resumed output\n" + context).isNotEmpty();
        int start = reference.indexOf(resumed.get(0));
        assertThat(start).as("the resumed run's first line %s is a line of the uninterrupted run%n%s", resumed.get(0), context)
                .isNotNegative();
        int end = Math.min(reference.size(), start + resumed.size());
        assertThat(resumed).as("the resumed run continues the uninterrupted output line for line\n" + context)
                .isEqualTo(reference.subList(start, end));
    }
}
