package dev.stasis.runtime.internal.lifecycle;

import dev.stasis.runtime.CheckpointException;

/** Resources refused the checkpoint; what they threw is suppressed in it, as {@code jdk.crac} reports it. */
public final class ResourceCheckpointException extends CheckpointException {
    private static final long serialVersionUID = 1L;

    ResourceCheckpointException(String message) {
        super(message);
    }
}
