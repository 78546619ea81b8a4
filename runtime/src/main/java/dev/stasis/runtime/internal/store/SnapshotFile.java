package dev.stasis.runtime.internal.store;

import java.nio.file.Path;
import java.time.Instant;

/** A committed snapshot file in the store. */
public record SnapshotFile(String id, Path path, long bytes, Instant modified) {
}
