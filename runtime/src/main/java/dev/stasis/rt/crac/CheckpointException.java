package dev.stasis.rt.crac;

/**
 * A checkpoint that did not happen; the causes are suppressed exceptions, as in {@code jdk.crac}
 * ({@code org.crac} copies only those into its own exception).
 */
public class CheckpointException extends Exception {
    private static final long serialVersionUID = 1L;

    public CheckpointException(String message) {
        super(message);
    }
}
