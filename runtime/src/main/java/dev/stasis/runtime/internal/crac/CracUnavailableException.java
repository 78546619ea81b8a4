package dev.stasis.runtime.internal.crac;

/** {@code engine=crac} on a JDK that has no CRaC. */
public final class CracUnavailableException extends Exception {
    public CracUnavailableException(String message) {
        super(message);
    }

    public CracUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
