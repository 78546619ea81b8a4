package dev.stasis.runtime.internal.snapshot;

import dev.stasis.runtime.Compression;
import java.util.Objects;

/**
 * How {@link SnapshotCodec#write} writes a snapshot.
 *
 * @param compression how data blocks are stored
 * @param key         signs the snapshot with HMAC-SHA256, or null for an unsigned one
 * @param blockBytes  raw payload bytes per data block, 1 .. 1 MiB (smaller only in tests, to get many blocks)
 * @param maxDepth    how deeply the object graph may nest; {@link ReadOptions#maxDepth()} must be at least this
 *                    for the snapshot to be readable
 */
public record WriteOptions(Compression compression, SnapshotKey key, int blockBytes, int maxDepth) {
    private static final WriteOptions DEFAULTS =
            new WriteOptions(Compression.NONE, null, SnapshotLayout.MAX_BLOCK_BYTES, ReadOptions.DEFAULT_MAX_DEPTH);

    public WriteOptions {
        Objects.requireNonNull(compression, "compression");
        if (blockBytes < 1 || blockBytes > SnapshotLayout.MAX_BLOCK_BYTES) {
            throw new IllegalArgumentException("block size must be 1 .. " + SnapshotLayout.MAX_BLOCK_BYTES + " bytes, was " + blockBytes);
        }
        if (maxDepth < 1) {
            throw new IllegalArgumentException("maximum depth must be positive, was " + maxDepth);
        }
    }

    /** Uncompressed, unsigned, 1 MiB blocks, the default depth bound. */
    public static WriteOptions defaults() {
        return DEFAULTS;
    }

    public WriteOptions withCompression(Compression compression) {
        return new WriteOptions(compression, key, blockBytes, maxDepth);
    }

    public WriteOptions withKey(SnapshotKey key) {
        return new WriteOptions(compression, key, blockBytes, maxDepth);
    }

    public WriteOptions withBlockBytes(int blockBytes) {
        return new WriteOptions(compression, key, blockBytes, maxDepth);
    }

    public WriteOptions withMaxDepth(int maxDepth) {
        return new WriteOptions(compression, key, blockBytes, maxDepth);
    }
}
