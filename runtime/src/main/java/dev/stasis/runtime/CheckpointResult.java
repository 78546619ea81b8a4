package dev.stasis.runtime;

/**
 * A committed snapshot.
 *
 * @param snapshotId  its id in the store
 * @param pauseMillis from the request until the application threads ran again
 * @param bytes       size of the snapshot file
 */
public record CheckpointResult(String snapshotId, long pauseMillis, long bytes) {
}
