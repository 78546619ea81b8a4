package dev.stasis.it;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Launches the same command again and again and kills each launch ({@code kill -9}) at its planned
 * moment, recording what every attempt printed and which snapshot it had to resume from.
 */
final class TortureDriver {

    static final String RESUMED = "stasis: resumed from snapshot ";

    private static final Duration POLL = Duration.ofMillis(5);
    private static final Duration PROGRESS_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration MAX_LINE_PERIOD = Duration.ofSeconds(1);

    /**
     * What one attempt did.
     *
     * @param snapshotBeforeLaunch the newest committed snapshot when it was launched (what it should resume)
     * @param killed               false when it ended by itself
     * @param tempFilesAfter       temporary files left in the snapshot directory right after it ended (a commit cut short)
     */
    record Attempt(String name, KillPlan.Kill kill, Optional<String> snapshotBeforeLaunch, boolean killed, int exitCode,
                   List<String> stdout, String partialLine, String stderr, List<String> tempFilesAfter, String description) {

        boolean resumed() {
            return stderr.contains(RESUMED);
        }

        /** The step of its last progress line, or -1. */
        long lastStep() {
            String last = SampleOutput.lastProgress(stdout);
            return last == null ? -1 : SampleOutput.stepOf(last);
        }

        OutputCoverage.Attempt output() {
            return new OutputCoverage.Attempt(name, snapshotBeforeLaunch.isEmpty(), stdout, partialLine);
        }
    }

    private final JvmCommand command;
    private final Path work;
    private final SnapshotDirectory snapshots;
    /** The sample job prints a progress line every this many steps. */
    private final long stepsPerLine;
    /** Every kill target lies before this step (see {@link #pastEveryTarget}). */
    private final long endOfTargets;
    private final long intervalNanos;
    private final Random random;
    /** How far the job has ever got: the furthest step printed, plus the time it ran on after that line. */
    private long furthestStep;
    /** This attempt's last progress line, and when it was seen (-1 before any). */
    private long lastLineStep;
    private long lastLineSeenAt;
    private int launches;
    /** Kills that fired before their planned moment because the attempt got past every target. */
    private int killsBroughtForward;
    /** Time between two progress lines, as last seen: turns the part of a target between two lines into a delay. */
    private long linePeriodNanos = Duration.ofMillis(250).toNanos();

    TortureDriver(JvmCommand command, Path work, SnapshotDirectory snapshots, TortureSettings settings) {
        this.command = command;
        this.work = work;
        this.snapshots = snapshots;
        this.stepsPerLine = Math.max(1, settings.steps() / 100);
        this.endOfTargets = KillPlan.endOfTargets(settings.steps());
        this.intervalNanos = Duration.ofMillis(settings.intervalMillis()).toNanos();
        this.random = new Random(settings.seed());
    }

    /** Launches an attempt and kills it as {@code kill} says (unless it ends first). */
    Attempt killAt(KillPlan.Kill kill) {
        Optional<String> before = snapshots.newestSnapshotId();
        String name = String.format("attempt-%03d", ++launches);
        lastLineStep = -1;
        try (ForkedJvm jvm = ForkedJvm.start(command, work, name)) {
            long launched = System.nanoTime();
            if (kill.duringStartup()) {
                sleepUntil(launched + Duration.ofMillis(kill.delayMillis()).toNanos(), jvm);
            } else if (kill.targetStep() <= furthestStep) {
                // The job has printed this step already and lost what followed its last snapshot:
                // kill the relaunch soon after it runs again, so that it does not get far past the
                // target (a progress line is 1 % of the job; kills may be much denser than that).
                awaitProgress(jvm, 0);
                sleepUntil(System.nanoTime() + (long) (random.nextDouble() * intervalNanos), jvm);
            } else {
                // Timed against this attempt's own output: a resumed attempt prints again what came
                // after its snapshot, so the job is at the target when this attempt gets there.
                long lineStep = kill.targetStep() / stepsPerLine * stepsPerLine;
                awaitProgress(jvm, lineStep);
                double beyondLine = (kill.targetStep() - lineStep) / (double) stepsPerLine;
                sleepUntil(System.nanoTime() + (long) (beyondLine * linePeriodNanos), jvm);
            }
            boolean killed = jvm.isAlive();
            if (killed) {
                jvm.killHard();
                if (lastLineStep >= 0) {
                    double sinceLine = Math.min(1, (System.nanoTime() - lastLineSeenAt) / (double) linePeriodNanos);
                    furthestStep = Math.max(furthestStep, lastLineStep + (long) (sinceLine * stepsPerLine));
                }
            } else {
                jvm.awaitExit(Duration.ofSeconds(10));
            }
            return record(name, kill, before, killed, jvm);
        }
    }

    /** How many kills {@link #pastEveryTarget} brought forward, for the summary. */
    int killsBroughtForward() {
        return killsBroughtForward;
    }

    /** Launches the last attempt and lets it run to its end. */
    Attempt runToEnd(Duration timeout) {
        Optional<String> before = snapshots.newestSnapshotId();
        String name = String.format("attempt-%03d-final", ++launches);
        try (ForkedJvm jvm = ForkedJvm.run(command, work, name, timeout)) {
            return record(name, null, before, false, jvm);
        }
    }

    private Attempt record(String name, KillPlan.Kill kill, Optional<String> before, boolean killed, ForkedJvm jvm) {
        List<String> stdout = jvm.stdoutLines();
        Attempt attempt = new Attempt(name, kill, before, killed, killed ? -1 : jvm.exitCode(), stdout,
                jvm.stdoutPartialLine(), jvm.stderr(), snapshots.temporary(), jvm.describe());
        furthestStep = Math.max(furthestStep, attempt.lastStep());
        return attempt;
    }

    /**
     * Waits until the attempt prints a progress line of {@code lineStep} or later, or, for step 0
     * (before the first line), until it runs: it says it resumed or prints any progress. Keeps
     * the line period up to date meanwhile.
     */
    private void awaitProgress(ForkedJvm jvm, long lineStep) {
        long deadline = System.nanoTime() + PROGRESS_TIMEOUT.toNanos();
        int linesSeen = 0;
        long lineSeenAt = 0;
        while (jvm.isAlive()) {
            List<String> progress = SampleOutput.progressLines(jvm.stdoutLines());
            long now = System.nanoTime();
            if (progress.size() > linesSeen) {
                if (linesSeen > 0) {
                    // Bounded: a pause of the machine must not send the next kill far past its target.
                    linePeriodNanos = Math.min(MAX_LINE_PERIOD.toNanos(), (now - lineSeenAt) / (progress.size() - linesSeen));
                }
                linesSeen = progress.size();
                lineSeenAt = now;
                lastLineStep = SampleOutput.stepOf(progress.get(progress.size() - 1));
                lastLineSeenAt = now;
            }
            boolean there = lineStep == 0
                    ? runs(jvm, progress)
                    : !progress.isEmpty() && SampleOutput.stepOf(progress.get(progress.size() - 1)) >= lineStep;
            if (there) {
                return;
            }
            if (now > deadline) {
                fail("%s did not reach step %d within %s%n%s", "the attempt", lineStep, PROGRESS_TIMEOUT, jvm.describe());
            }
            ForkedJvm.sleep(POLL);
        }
    }

    /** Whether the attempt runs the job: it says it resumed, or it prints progress. */
    private static boolean runs(ForkedJvm jvm, List<String> progress) {
        return !progress.isEmpty() || jvm.stderr().contains(RESUMED);
    }

    /**
     * Sleeps until {@code nanoTime}, or until the attempt is {@linkplain #pastEveryTarget past every
     * target}, whichever comes first.
     */
    private void sleepUntil(long nanoTime, ForkedJvm jvm) {
        while (jvm.isAlive()) {
            long left = nanoTime - System.nanoTime();
            if (left <= 0) {
                return;
            }
            if (pastEveryTarget(jvm)) {
                killsBroughtForward++;
                return;
            }
            ForkedJvm.sleep(Duration.ofNanos(Math.min(left, POLL.toNanos())));
        }
    }

    /**
     * Whether the attempt has got past every target of the plan, so its kill must fire now. Kills
     * timed by the clock (a moment after launch, part of a line period, part of a checkpoint
     * interval) can fire later than the job's end: a relaunch that resumes near the end finishes
     * within the 2 s a startup kill may wait, and a line period measured across a pause can be
     * several times the real one. An attempt that ends by itself ends the run, and the kills left
     * in the plan never happen. Killed here at the latest, the job still has 2 to 3 % of its steps
     * to go (a progress line is 1 %; the last is printed at 99 %). Once the job has been
     * past every target, a relaunch may resume past its last progress line, so it is killed as
     * soon as it runs.
     */
    private boolean pastEveryTarget(ForkedJvm jvm) {
        List<String> progress = SampleOutput.progressLines(jvm.stdoutLines());
        if (furthestStep >= endOfTargets) {
            return runs(jvm, progress);
        }
        return !progress.isEmpty() && SampleOutput.stepOf(progress.get(progress.size() - 1)) >= endOfTargets;
    }
}
