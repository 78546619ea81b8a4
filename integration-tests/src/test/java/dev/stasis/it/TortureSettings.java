package dev.stasis.it;

import java.nio.file.Path;
import java.util.Random;

/**
 * How hard the torture run is, from system properties (the {@code torture} Maven profile raises
 * the kills): {@code stasis.torture.kills}, {@code stasis.torture.steps}, and
 * {@code stasis.torture.seed}, which fixes the kill plan and the checkpoint interval so a failing
 * run can be repeated (the kills are timed, so the repeat is close, not exact).
 *
 * @param kills          kills at progress points drawn uniformly over the job
 * @param steps          the sample job's {@code --steps}
 * @param seed           the seed of everything random in the run
 * @param intervalMillis the agent's checkpoint interval, drawn from 100..300 ms
 */
record TortureSettings(int kills, long steps, long seed, int intervalMillis) {

    static final int DEFAULT_KILLS = 50;

    static TortureSettings fromSystemProperties() {
        int kills = Integer.getInteger("stasis.torture.kills", DEFAULT_KILLS);
        long steps = Long.parseLong(System.getProperty("stasis.torture.steps", Samples.JOB_STEPS));
        long seed = Long.getLong("stasis.torture.seed", System.nanoTime());
        int interval = 100 + new Random(seed).nextInt(201);
        return new TortureSettings(kills, steps, seed, interval);
    }

    /** The agent options: periodic checkpoints, resume whatever the newest snapshot is. */
    String agentOptions(Path snapshots) {
        return "dir=" + snapshots + ",interval=" + intervalMillis + "ms,restore=auto";
    }

    @Override
    public String toString() {
        return "kills=" + kills + " steps=" + steps + " interval=" + intervalMillis + "ms seed=" + seed
                + " (repeat with -Dstasis.torture.seed=" + seed + ")";
    }
}
