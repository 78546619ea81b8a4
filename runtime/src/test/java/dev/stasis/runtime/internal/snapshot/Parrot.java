package dev.stasis.runtime.internal.snapshot;

/**
 * The control for {@link Canary}: forged the same way into a snapshot that is valid in every other
 * respect, it is initialised by the read, which shows the forgery reaches a class's initialiser when
 * nothing stops it. No test may create one directly.
 */
final class Parrot {
    /** A constant, so reading it does not initialise this class. */
    static final String INITIALISED = "stasis.test.parrot.initialised";

    static {
        System.setProperty(INITIALISED, "true");
    }

    int value;
}
