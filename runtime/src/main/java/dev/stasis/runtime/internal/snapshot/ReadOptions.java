package dev.stasis.runtime.internal.snapshot;

import dev.stasis.runtime.internal.snapshot.files.OpenFiles;
import java.util.Objects;

/**
 * What a reader demands of a snapshot besides its checksums.
 *
 * @param key        the HMAC-SHA256 key snapshots must be signed with, or null when they must be unsigned
 * @param checkMac   false only to list or inspect signed snapshots without their key: integrity is still
 *                   checked, authenticity is not. A restore never reads this way.
 * @param maxDepth   how deeply the object graph may nest
 * @param maxObjects how many objects (values of any kind, back-references included) the graph may hold;
 *                   the effective bound is also at most the payload's byte count, since each takes a byte
 * @param openFiles  whether the open files the snapshot holds are reopened (a resume) or left alone, coming
 *                   back closed (inspection, verification: reading a snapshot must not cut an output file)
 */
public record ReadOptions(SnapshotKey key, boolean checkMac, int maxDepth, long maxObjects, OpenFiles openFiles) {
    /**
     * Deeper than any structure a program keeps on purpose, shallow enough that writing and reading
     * stay within the 1 GiB stack of Stasis's own threads (a 1.5 million deep linked list still fits
     * there on JDK 17 and 25).
     */
    public static final int DEFAULT_MAX_DEPTH = 1_000_000;
    private static final ReadOptions DEFAULTS = new ReadOptions(null, true, DEFAULT_MAX_DEPTH, Long.MAX_VALUE,
            OpenFiles.LEAVE_CLOSED);

    public ReadOptions {
        Objects.requireNonNull(openFiles, "openFiles");
        if (maxDepth < 1 || maxObjects < 1) {
            throw new IllegalArgumentException("read bounds must be positive, were depth " + maxDepth + ", objects " + maxObjects);
        }
    }

    /** Unsigned snapshots only, default bounds, open files left closed. */
    public static ReadOptions defaults() {
        return DEFAULTS;
    }

    /** Signed snapshots only, checked with {@code key}; null means unsigned ones only. */
    public ReadOptions withKey(SnapshotKey key) {
        return new ReadOptions(key, checkMac, maxDepth, maxObjects, openFiles);
    }

    /** Reads signed snapshots without their key (listing, inspection): checksums yes, authenticity no. */
    public ReadOptions ignoringMac() {
        return new ReadOptions(key, false, maxDepth, maxObjects, openFiles);
    }

    /** How the read treats the open files the snapshot holds. */
    public ReadOptions withOpenFiles(OpenFiles openFiles) {
        return new ReadOptions(key, checkMac, maxDepth, maxObjects, openFiles);
    }

    public ReadOptions withMaxDepth(int maxDepth) {
        return new ReadOptions(key, checkMac, maxDepth, maxObjects, openFiles);
    }

    public ReadOptions withMaxObjects(long maxObjects) {
        return new ReadOptions(key, checkMac, maxDepth, maxObjects, openFiles);
    }
}
