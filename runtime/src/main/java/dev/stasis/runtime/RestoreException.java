package dev.stasis.runtime;

/**
 * A snapshot that must not be resumed (changed classes, corrupt file, unknown id). The agent stops
 * the JVM at start with this message rather than run the program from a wrong state.
 */
public class RestoreException extends Exception {
    public RestoreException(String message) {
        super(message);
    }

    public RestoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
