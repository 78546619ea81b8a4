package dev.stasis.runtime.internal.store;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The snapshot directory. STUB: signatures agreed, bodies being written. */
public final class SnapshotStore {

    /** Writes one snapshot's bytes; returns how many it wrote. */
    @FunctionalInterface
    public interface WriteAction {
        long write(OutputStream out) throws IOException;
    }

    private SnapshotStore() {
    }

    /** Opens (creating it 0700 if missing) and checks it is a writable directory. */
    public static SnapshotStore open(Path directory) throws IOException {
        throw new UnsupportedOperationException("not yet");
    }

    /** Opens an existing directory for reading only (CLI); never creates anything. */
    public static SnapshotStore openExisting(Path directory) throws IOException {
        throw new UnsupportedOperationException("not yet");
    }

    public Path directory() {
        throw new UnsupportedOperationException("not yet");
    }

    /** A new id, greater than every id in the store. */
    public String newSnapshotId() {
        throw new UnsupportedOperationException("not yet");
    }

    /** Temp name, fsync, rename, fsync of the directory; on failure nothing is left behind. */
    public SnapshotFile commit(String id, WriteAction action) throws IOException {
        throw new UnsupportedOperationException("not yet");
    }

    /** Committed snapshots, newest first. */
    public List<SnapshotFile> list() throws IOException {
        throw new UnsupportedOperationException("not yet");
    }

    public Optional<SnapshotFile> find(String id) throws IOException {
        throw new UnsupportedOperationException("not yet");
    }

    /** Deletes all but the newest {@code keep} snapshots. */
    public void prune(int keep) throws IOException {
        throw new UnsupportedOperationException("not yet");
    }

    public void markFinished(String runId) throws IOException {
        throw new UnsupportedOperationException("not yet");
    }

    public boolean isFinished(String runId) throws IOException {
        throw new UnsupportedOperationException("not yet");
    }
}
