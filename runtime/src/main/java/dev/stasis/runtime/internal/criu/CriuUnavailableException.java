package dev.stasis.runtime.internal.criu;

/** CRIU cannot be used here: missing, without the privileges it needs, or failing its own check. */
public final class CriuUnavailableException extends Exception {
    public CriuUnavailableException(String message) {
        super(message);
    }

    public CriuUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
