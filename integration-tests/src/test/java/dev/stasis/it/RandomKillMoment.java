package dev.stasis.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
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

    /**
     * Launches {@code command} and kills it at a random moment ({@link #await}): once it has a first snapshot, or
     * after it resumed. Fails if it ended first (the program is too short for the test's kills), if its stderr
     * holds one of {@code forbidden} (e.g. a failed checkpoint), or if it resumed another snapshot than the newest.
     * Returns the attempt's name and when it was killed.
     */
    String killOneAttempt(JvmCommand command, Path work, SnapshotDirectory snapshots, Random random, String name,
                          String settings, String... forbidden) {
        Optional<String> before = snapshots.newestSnapshotId();
        try (ForkedJvm jvm = ForkedJvm.start(command, work, name)) {
            String when = await(jvm, before.isPresent(),
                    () -> jvm.await(() -> snapshots.newestSnapshotId().isPresent(), "a first snapshot", WAIT_TIMEOUT),
                    "its first snapshot", random);
            if (!jvm.isAlive()) {
                fail("%s ended before it was killed (%s): the program is too short for the test's kills; %s%n%s", name,
                        when, settings, jvm.describe());
            }
            jvm.killHard();
            for (String text : forbidden) {
                assertThat(jvm.stderr()).as("%s: no \"%s\" on stderr; %s%n%s", name, text, settings, jvm.describe())
                        .doesNotContain(text);
            }
            if (before.isPresent() && jvm.stderr().contains(RESUMED)) {
                assertThat(jvm.stderr()).as("%s resumed the newest snapshot; %s%n%s", name, settings, jvm.describe())
                        .contains(RESUMED + before.get() + " ");
            }
            return name + " " + when;
        }
    }

    private static long sleepUpTo(long bound, Random random) {
        long delay = random.nextLong(bound);
        ForkedJvm.sleep(Duration.ofMillis(delay));
        return delay;
    }
}
