package dev.stasis.runtime;

/**
 * A checkpoint that did not happen. The application is still running, unharmed, and the previous
 * snapshots are intact; the message says what failed, where, and what to do.
 */
public class CheckpointException extends Exception {
    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
