package dev.stasis.agent.instrument.internal;

/** A method that must be left as it was; the message says why and is reported as the skip reason. */
public final class UninstrumentableException extends Exception {
    public UninstrumentableException(String reason) {
        super(reason);
    }
}
