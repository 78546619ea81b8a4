package dev.stasis.runtime.internal.snapshot;

import java.io.IOException;
import java.nio.file.Path;

/** A snapshot file that is not a complete, intact snapshot this agent can read. */
public final class SnapshotFormatException extends IOException {
    private final transient Path file;
    private final long offset;

    private SnapshotFormatException(String message, Path file, long offset) {
        super(message);
        this.file = file;
        this.offset = offset;
    }

    /** Damage or truncation found at {@code offset}. */
    public static SnapshotFormatException at(Path file, long offset, String problem) {
        return new SnapshotFormatException(
                "snapshot " + file + " is unusable at byte offset " + offset + ": " + problem, file, offset);
    }

    static SnapshotFormatException newerVersion(Path file, long offset, int version) {
        return new SnapshotFormatException("snapshot " + file + " has format version " + version
                + "; this agent reads up to " + Manifest.FORMAT_VERSION + ": use a newer agent", file, offset);
    }

    public Path file() {
        return file;
    }

    /** Where in the file the problem was found (the start of the damaged block for checksum errors). */
    public long offset() {
        return offset;
    }
}
