package dev.stasis.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random {@code kill -9} torture (docs/RELIABILITY.md): one run of the sample job, checkpointing
 * every 100..300 ms, is killed at progress points drawn uniformly over the whole job (and now and
 * then while it starts and restores), relaunched with the same command each time, and finally left
 * to finish. Kills land anywhere, in the middle of a checkpoint's commit included. The output of
 * all attempts together must be the output of a run that was never interrupted, every relaunch
 * must resume the newest snapshot, and no snapshot may turn out broken.
 *
 * <p>{@code mvn verify} runs 50 kills; the {@code torture} profile 500 (see the pom).
 */
class TortureIT {

    private static final Duration FINAL_RUN_TIMEOUT = Duration.ofMinutes(10);
    /** Kills are expected in every fifth of the job. */
    private static final int PARTS = 5;

    @TempDir
    Path work;

    @Test
    void the_sample_job_killed_at_random_moments_ends_with_the_output_of_an_uninterrupted_run() {
        TortureSettings settings = TortureSettings.fromSystemProperties();
        System.out.println("torture: " + settings);
        Path snapshotDirectory = work.resolve("snapshots");
        SnapshotDirectory snapshots = new SnapshotDirectory(snapshotDirectory);
        JvmCommand command = JvmCommand.of(Samples.JOB, "--steps", Long.toString(settings.steps()))
                .withAgent(settings.agentOptions(snapshotDirectory));
        List<String> reference = UninterruptedRuns.stdoutOf(command);

        long started = System.nanoTime();
        TortureDriver driver = new TortureDriver(command, work, snapshots, settings);
        List<TortureDriver.Attempt> attempts = new ArrayList<>();
        for (KillPlan.Kill kill : KillPlan.draw(settings)) {
            TortureDriver.Attempt attempt = driver.killAt(kill);
            attempts.add(attempt);
            if (!attempt.killed()) {
                break;
            }
        }
        if (attempts.get(attempts.size() - 1).killed()) {
            attempts.add(driver.runToEnd(FINAL_RUN_TIMEOUT));
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        TortureDriver.Attempt last = attempts.get(attempts.size() - 1);
        String context = settings + "\n" + last.description();
        assertThat(last.exitCode()).as("exit code of the last attempt, %s%n%s", last.name(), context).isZero();
        assertThat(last.stdout()).as("the last attempt's output ends with the uninterrupted RESULT\n" + context)
                .endsWith(UninterruptedRuns.resultOf(command));
        for (TortureDriver.Attempt attempt : attempts) {
            assertResumedTheNewestSnapshot(attempt, settings);
        }
        OutputCoverage.check(reference, attempts.stream().map(TortureDriver.Attempt::output).toList());
        assertThat(snapshots.broken()).as("snapshots that failed their checks on a resume (%s)", settings).isEmpty();
        assertThat(snapshots.temporary()).as("temporary files left once the job finished (%s)", settings).isEmpty();

        List<TortureDriver.Attempt> killedAtProgress = attempts.stream()
                .filter(a -> a.killed() && !a.kill().duringStartup()).toList();
        assertThat(killedAtProgress.size()).as("kills at progress points; the last attempt, %s (%s), was %s at step %d (%s)",
                last.name(), last.kill() == null ? "the final run" : "to be killed " + last.kill(),
                last.killed() ? "killed" : "not killed", last.lastStep(), settings).isGreaterThanOrEqualTo(settings.kills());
        int[] killsPerPart = killsPerPart(killedAtProgress, settings.steps());
        assertThat(killsPerPart).as("kills in each fifth of the job (%s)", settings).doesNotContain(0);

        System.out.println(summary(settings, attempts, killsPerPart, driver.killsBroughtForward(), took));
    }

    /**
     * An attempt launched with a snapshot present resumes the newest one (it does not start over),
     * as soon as it does anything; one launched without a snapshot starts from the beginning.
     */
    private static void assertResumedTheNewestSnapshot(TortureDriver.Attempt attempt, TortureSettings settings) {
        String context = settings + "\n" + attempt.description();
        if (attempt.snapshotBeforeLaunch().isEmpty()) {
            assertThat(attempt.resumed()).as("%s had no snapshot to resume, yet says it resumed%n%s", attempt.name(), context)
                    .isFalse();
        } else if (attempt.resumed() || !attempt.stdout().isEmpty()) {
            assertThat(attempt.stderr()).as("%s was launched with snapshot %s the newest%n%s", attempt.name(),
                    attempt.snapshotBeforeLaunch().get(), context)
                    .contains(TortureDriver.RESUMED + attempt.snapshotBeforeLaunch().get() + " ");
        }
    }

    /** Where each kill fell: the furthest step printed before it, in fifths of the job. */
    private static int[] killsPerPart(List<TortureDriver.Attempt> killed, long steps) {
        int[] parts = new int[PARTS];
        long furthest = 0;
        for (TortureDriver.Attempt attempt : killed) {
            furthest = Math.max(furthest, attempt.lastStep());
            parts[(int) Math.min(PARTS - 1, furthest * PARTS / steps)]++;
        }
        return parts;
    }

    private static String summary(TortureSettings settings, List<TortureDriver.Attempt> attempts, int[] killsPerPart,
                                  int broughtForward, Duration took) {
        long kills = attempts.stream().filter(TortureDriver.Attempt::killed).count();
        long duringStartup = attempts.stream().filter(a -> a.killed() && a.kill().duringStartup()).count();
        long resumes = attempts.stream().filter(TortureDriver.Attempt::resumed).count();
        long fresh = attempts.stream().filter(a -> a.snapshotBeforeLaunch().isEmpty()).count();
        long midCommit = attempts.stream().filter(a -> a.killed() && !a.tempFilesAfter().isEmpty()).count();
        return "torture result: " + kills + " kills (" + (kills - duringStartup) + " at progress points, " + duringStartup
                + " during startup or restore), " + resumes + " resumes, " + fresh + " launches without a snapshot, "
                + midCommit + " kills left a commit's temporary file, " + broughtForward
                + " brought forward because the job got past every target, kills per fifth of the job "
                + Arrays.stream(killsPerPart).mapToObj(Integer::toString).collect(Collectors.joining("/"))
                + ", " + attempts.size() + " launches in " + took.toSeconds() + " s; output identical to the uninterrupted run; "
                + settings;
    }
}
