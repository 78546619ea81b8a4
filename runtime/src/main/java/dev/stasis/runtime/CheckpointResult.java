package dev.stasis.runtime;

/**
 * A committed snapshot.
 *
 * @param snapshotId  its id in the store
 * @param pauseMillis from the request until the application threads ran again
 * @param bytes       size of the snapshot file
 * @param restored    true in a process that a whole-process engine (CRIU) restored from this very
 *                    checkpoint's image: the call returns a second time, in the restored process
 */
public record CheckpointResult(String snapshotId, long pauseMillis, long bytes, boolean restored) {
    /** A checkpoint this process took and goes on from. */
    public CheckpointResult(String snapshotId, long pauseMillis, long bytes) {
        this(snapshotId, pauseMillis, bytes, false);
    }
}
