package dev.stasis.runtime.internal.store;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names of files still being written: {@code .<final name>.<pid>.tmp}. The pid says whose a temp
 * file is, so a store that opens the directory deletes only those of writers that are gone, never
 * the file another live JVM is writing into the same directory.
 */
final class TempFiles {
    private static final Pattern TEMP = Pattern.compile(
            "\\.(snapshot-\\d{1,18}\\.stasis|finished-[A-Za-z0-9._-]{1,128}|stasis-probe-\\d+)\\.(\\d{1,18})\\.tmp");
    private static final Pattern SNAPSHOT_TEMP = Pattern.compile("\\.snapshot-(\\d{1,18})\\.stasis\\.\\d{1,18}\\.tmp");

    private TempFiles() {
    }

    static String nameFor(String finalName, long writerPid) {
        return "." + finalName + "." + writerPid + ".tmp";
    }

    /** The pid of the writer, when {@code fileName} is a temp file name. */
    static OptionalLong writerOf(String fileName) {
        Matcher m = TEMP.matcher(fileName);
        return m.matches() ? OptionalLong.of(Long.parseLong(m.group(2))) : OptionalLong.empty();
    }

    /** The snapshot id, when {@code fileName} is the temp file of a snapshot. */
    static Optional<String> snapshotIdOf(String fileName) {
        Matcher m = SNAPSHOT_TEMP.matcher(fileName);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /**
     * True when the writer of a temp file last modified at {@code lastModified} is gone: no process
     * has its pid, or the one that has it started after the file was written (the pid was reused,
     * as it is at every start of a container). A start time the system does not report counts as
     * alive: a leftover file costs disk space, deleting a live writer's file costs its snapshot.
     */
    static boolean isAbandoned(long writerPid, Instant lastModified) {
        Optional<ProcessHandle> process = ProcessHandle.of(writerPid);
        if (process.isEmpty()) {
            return true;
        }
        Optional<Instant> started = process.get().info().startInstant();
        return started.isPresent() && started.get().isAfter(lastModified);
    }
}
