package dev.stasis.runtime.internal.restore;

import dev.stasis.runtime.internal.snapshot.Manifest;
import dev.stasis.runtime.internal.snapshot.ReadOptions;
import dev.stasis.runtime.internal.snapshot.SnapshotCodec;
import dev.stasis.runtime.internal.snapshot.SnapshotContent;
import dev.stasis.runtime.internal.store.SnapshotFile;
import dev.stasis.runtime.internal.store.SnapshotStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The snapshots a restore can choose from: the store read through the codec. */
public interface SnapshotSource {
    Path directory();

    /** Committed snapshots, newest first. */
    List<SnapshotFile> list() throws IOException;

    boolean isFinished(String runId) throws IOException;

    Manifest readManifest(SnapshotFile file) throws IOException;

    SnapshotContent readContent(SnapshotFile file, ClassLoader loader) throws IOException;

    /** Unsigned snapshots only, default bounds. */
    static SnapshotSource of(SnapshotStore store) {
        return of(store, ReadOptions.defaults());
    }

    /** The store read with {@code options} (the key snapshots must be signed with, the read bounds). */
    static SnapshotSource of(SnapshotStore store, ReadOptions options) {
        return new SnapshotSource() {
            @Override public Path directory() { return store.directory(); }
            @Override public List<SnapshotFile> list() throws IOException { return store.list(); }
            @Override public boolean isFinished(String runId) throws IOException { return store.isFinished(runId); }
            @Override public Manifest readManifest(SnapshotFile file) throws IOException {
                return SnapshotCodec.readManifest(file.path(), options);
            }
            @Override public SnapshotContent readContent(SnapshotFile file, ClassLoader loader) throws IOException {
                return SnapshotCodec.readContent(file.path(), loader, options);
            }
        };
    }
}
