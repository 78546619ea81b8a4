package dev.stasis.it;

import java.time.Duration;
import java.util.Random;

/**
 * When a kill-and-resume test kills one launch at a random moment: the first launch some time after its
 * first snapshot, later ones some time after they resumed, or now and then while they start and restore.
 * Waits for that moment and says what it was.
 */
final class RandomKillMoment {
    static final String RESUMED = "stasis: resumed from snapshot ";
    private static final Duration WAIT_TIMEOUT = Duration.ofSeconds(60);

    private final long maxRunMillis;
    private final long startupWindowMillis;

    /**
     * @param maxRunMillis        a kill comes at most this long after the first snapshot or the resume
     * @param startupWindowMillis a kill during start-up comes at most this long after launch
     */
    RandomKillMoment(long maxRunMillis, long startupWindowMillis) {
        this.maxRunMillis = maxRunMillis;
        this.startupWindowMillis = startupWindowMillis;
    }

    /**
     * Waits, in {@code jvm}, for a random moment to kill it; returns it in words.
     *
     * @param resumes            whether this launch resumes a snapshot (else it is the first)
     * @param awaitFirstSnapshot for a first launch: waits until it has the snapshot a later one will resume
     * @param firstSnapshot      what that snapshot is, in words
     */
    String await(ForkedJvm jvm, boolean resumes, Runnable awaitFirstSnapshot, String firstSnapshot, Random random) {
        if (!resumes) {
            awaitFirstSnapshot.run();
            return sleepUpTo(maxRunMillis, random) + " ms after " + firstSnapshot;
        }
        if (random.nextInt(10) == 0) {
            return sleepUpTo(startupWindowMillis, random) + " ms after launch";
        }
        jvm.await(() -> jvm.stderr().contains(RESUMED), "the resume", WAIT_TIMEOUT);
        return sleepUpTo(maxRunMillis, random) + " ms after resuming";
    }

    private static long sleepUpTo(long bound, Random random) {
        long delay = random.nextLong(bound);
        ForkedJvm.sleep(Duration.ofMillis(delay));
        return delay;
    }
}
