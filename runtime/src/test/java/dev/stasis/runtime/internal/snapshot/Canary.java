package dev.stasis.runtime.internal.snapshot;

/**
 * A class whose initialiser records that it ran. Hostile-snapshot tests forge data naming it (its
 * name is as long as {@link Pigeon}'s, whose instances they write and rename) and check that a
 * reader never got that far. No test may create one directly.
 */
final class Canary {
    /** A constant, so reading it does not initialise this class. */
    static final String INITIALISED = "stasis.test.canary.initialised";

    static {
        System.setProperty(INITIALISED, "true");
    }

    int value;
}
