package dev.stasis.runtime.internal.criu;

/** A CRIU image that {@code restore} could not bring back; the message says why and what to do. */
public final class CriuRestoreException extends Exception {
    public CriuRestoreException(String message) {
        super(message);
    }

    public CriuRestoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
