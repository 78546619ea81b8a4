package dev.stasis.runtime;

/**
 * A snapshot that must not be resumed, and that the user must decide about (changed classes, a
 * wrong key, a newer format, an unknown or damaged id given with restore=). The agent stops the JVM
 * at start with this message rather than run the program from a wrong or an older state.
 */
public class RestoreException extends Exception {
    public RestoreException(String message) {
        super(message);
    }

    public RestoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
