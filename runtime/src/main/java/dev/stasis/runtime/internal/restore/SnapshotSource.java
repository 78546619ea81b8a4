package dev.stasis.runtime.internal.restore;

import dev.stasis.runtime.internal.snapshot.Manifest;
import dev.stasis.runtime.internal.snapshot.ReadOptions;
import dev.stasis.runtime.internal.snapshot.SnapshotCodec;
import dev.stasis.runtime.internal.snapshot.SnapshotContent;
import dev.stasis.runtime.internal.snapshot.SnapshotFormatException;
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

    /** Snapshots set aside as broken, newest first. */
    List<SnapshotFile> listBroken() throws IOException;

    boolean isFinished(String runId) throws IOException;

    /**
     * Checks the whole file as a resume must (checksums, and the HMAC as configured) and returns its manifest.
     *
     * @throws SnapshotFormatException when the file fails a check; its kind says whether it is damaged
     */
    Manifest readManifest(SnapshotFile file) throws IOException;

    /**
     * The manifest of a file that failed only its authenticity check, read without that check: what it
     * says about itself is a claim, good only for decisions that are safe whoever made it.
     */
    Manifest readManifestUnauthenticated(SnapshotFile file) throws IOException;

    SnapshotContent readContent(SnapshotFile file, ClassLoader loader) throws IOException;

    /** Renames a damaged snapshot to {@code <name>.broken}, durably; returns the new path. */
    Path setAside(SnapshotFile file) throws IOException;

    /** Unsigned snapshots only, default bounds. */
    static SnapshotSource of(SnapshotStore store) {
        return of(store, ReadOptions.defaults());
    }

    /** The store read with {@code options} (the key snapshots must be signed with, the read bounds). */
    static SnapshotSource of(SnapshotStore store, ReadOptions options) {
        return new SnapshotSource() {
            @Override public Path directory() { return store.directory(); }
            @Override public List<SnapshotFile> list() throws IOException { return store.list(); }
            @Override public List<SnapshotFile> listBroken() throws IOException { return store.listBroken(); }
            @Override public boolean isFinished(String runId) throws IOException { return store.isFinished(runId); }
            @Override public Manifest readManifest(SnapshotFile file) throws IOException {
                return SnapshotCodec.readManifest(file.path(), options);
            }
            @Override public Manifest readManifestUnauthenticated(SnapshotFile file) throws IOException {
                return SnapshotCodec.readManifest(file.path(), options.ignoringMac());
            }
            @Override public SnapshotContent readContent(SnapshotFile file, ClassLoader loader) throws IOException {
                return SnapshotCodec.readContent(file.path(), loader, options);
            }
            @Override public Path setAside(SnapshotFile file) throws IOException { return store.markBroken(file); }
        };
    }
}
