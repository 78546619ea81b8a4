package dev.stasis.runtime.internal.snapshot;

import java.io.IOException;
import java.nio.file.Path;

/** A snapshot file that is not a complete, intact snapshot this agent can and may read. */
public final class SnapshotFormatException extends IOException {
    /** Why a snapshot is refused, for callers that treat the cases differently (set aside, keep, tell the user). */
    public enum Kind {
        /** Not the bytes that were written: a checksum, a length, a marker or the structure is wrong, or the file is cut short. */
        DAMAGED,
        /** A format version or flag this agent does not read; the file may be fine for another agent. */
        UNSUPPORTED,
        /**
         * The HMAC does not match, or the snapshot is signed and no key is configured, or unsigned and
         * one is: a wrong or missing key, or a snapshot altered or planted by someone without the key.
         */
        NOT_AUTHENTIC,
        /** Intact and authentic, but the object graph breaks a rule (a class outside the manifest, a bound). */
        REFUSED,
        /** Intact, but taken on another JDK: it needs a JDK class this JVM lacks (a virtual thread on JDK 17). */
        OTHER_JDK
    }

    private final transient Path file;
    private final long offset;
    private final Kind kind;
    private final String problem;

    private SnapshotFormatException(String message, Path file, long offset, Kind kind, String problem) {
        super(message);
        this.file = file;
        this.offset = offset;
        this.kind = kind;
        this.problem = problem;
    }

    /** Damage or truncation found at {@code offset}. */
    public static SnapshotFormatException at(Path file, long offset, String problem) {
        return of(Kind.DAMAGED, file, offset, problem);
    }

    static SnapshotFormatException of(Kind kind, Path file, long offset, String problem) {
        return new SnapshotFormatException("snapshot " + file + " is unusable at byte offset " + offset + ": " + problem,
                file, offset, kind, problem);
    }

    static SnapshotFormatException newerVersion(Path file, long offset, int version) {
        String problem = "written by a newer Stasis (format " + version + "), this agent reads up to "
                + Manifest.FORMAT_VERSION + ": use a newer agent";
        return new SnapshotFormatException("snapshot " + file + " was " + problem, file, offset, Kind.UNSUPPORTED, problem);
    }

    static SnapshotFormatException olderVersion(Path file, long offset, int version) {
        String problem = "format " + version + ", which this agent no longer reads (it reads format " + Manifest.FORMAT_VERSION
                + "; no release wrote format " + version + "): start fresh with restore=never";
        return new SnapshotFormatException("snapshot " + file + " has " + problem, file, offset, Kind.UNSUPPORTED, problem);
    }

    public Path file() {
        return file;
    }

    /** Where in the file the problem was found (the start of the damaged block for checksum errors). */
    public long offset() {
        return offset;
    }

    public Kind kind() {
        return kind;
    }

    /** What is wrong, without the file and offset the message starts with: for messages that name those their own way. */
    public String problem() {
        return problem;
    }
}
