package dev.stasis.runtime;

/**
 * A checkpoint that found no application thread left to stop: the program is ending (its last thread ended
 * before, or while, the checkpoint waited). There is nothing to save; a periodic trigger takes it as the end
 * of the program rather than as a failure.
 */
public class NothingToCheckpointException extends CheckpointException {
    public NothingToCheckpointException(String message) {
        super(message);
    }
}
