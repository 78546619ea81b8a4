package dev.stasis.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * When each attempt of a torture run is killed. Most kills are aimed at progress points drawn
 * uniformly over the job's steps (sorted, so the job moves forward between them); some attempts
 * are killed while the JVM starts and restores, at a uniform moment after launch.
 */
final class KillPlan {

    /** Kills aimed at steps past this share of the job could find it already finished. */
    private static final double LAST_TARGET = 0.97;
    /** How often an extra kill hits an attempt while it starts and restores. */
    private static final double STARTUP_KILL_SHARE = 0.1;
    /** Starting the JVM with the agent and restoring takes about this long on a busy 2-core machine. */
    static final long STARTUP_WINDOW_MILLIS = 2_000;

    /**
     * One kill.
     *
     * @param duringStartup killed {@code delayMillis} after launch, whatever it is doing then
     * @param targetStep    else: killed once the job has got this far (progress line, then part of the time to the next)
     */
    record Kill(boolean duringStartup, long targetStep, long delayMillis) {
        @Override
        public String toString() {
            return duringStartup ? "during startup, " + delayMillis + " ms after launch" : "at step " + targetStep;
        }
    }

    private KillPlan() {
    }

    /** Every target lies before this step; the job still has its last 3 % to go there. */
    static long endOfTargets(long steps) {
        return (long) (steps * LAST_TARGET);
    }

    static List<Kill> draw(TortureSettings settings) {
        Random random = new Random(settings.seed() ^ 0x5DEECE66DL);
        long[] targets = random.longs(settings.kills(), 0, endOfTargets(settings.steps())).sorted().toArray();
        List<Kill> kills = new ArrayList<>();
        for (long target : targets) {
            if (random.nextDouble() < STARTUP_KILL_SHARE) {
                kills.add(new Kill(true, 0, random.nextLong(STARTUP_WINDOW_MILLIS)));
            }
            kills.add(new Kill(false, target, 0));
        }
        return List.copyOf(kills);
    }
}
