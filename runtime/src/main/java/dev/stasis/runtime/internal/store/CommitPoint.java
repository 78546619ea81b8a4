package dev.stasis.runtime.internal.store;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The instants of a snapshot commit at which a crash leaves a different state on disk, in order. */
public enum CommitPoint {
    /** Nothing of the new snapshot exists yet. */
    BEFORE_TEMP_WRITE("before-temp-write"),
    /** Part of the temp file is written, none of it fsynced. */
    MID_WRITE("mid-write"),
    /** The temp file is complete and durable; it still has its temp name. */
    AFTER_FILE_FSYNC("after-file-fsync"),
    /** The snapshot has its final name; the rename is not yet durable. */
    AFTER_RENAME("after-rename"),
    /** The commit is durable. */
    AFTER_DIRECTORY_FSYNC("after-directory-fsync");

    private final String label;

    CommitPoint(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static CommitPoint ofLabel(String label) {
        for (CommitPoint point : values()) {
            if (point.label.equals(label)) {
                return point;
            }
        }
        throw new IllegalArgumentException("unknown commit point '" + label + "'; the points are "
                + Arrays.stream(values()).map(CommitPoint::label).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return label;
    }
}
