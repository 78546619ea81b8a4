package dev.stasis.runtime.internal.store;

import java.nio.file.Path;
import java.time.Instant;

/** A snapshot file in the store: committed, or set aside as broken ({@link SnapshotStore#listBroken()}). */
public record SnapshotFile(String id, Path path, long bytes, Instant modified) {
}
