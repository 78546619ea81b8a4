package dev.stasis.runtime.internal.snapshot;

import dev.stasis.runtime.Compression;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The snapshot options of a run ({@code compress=}, {@code key=}): how checkpoints write and what a
 * restore accepts. The key file is checked when the run starts and read again for every
 * checkpoint, so a key replaced while the program runs signs the snapshots taken after, and a key
 * that went missing or became readable by others fails the checkpoint instead of weakening it.
 */
public final class SnapshotSettings {
    private static final byte[] WARM_UP_KEY = new byte[SnapshotKey.MIN_BYTES];

    private final Compression compression;
    private final Path keyFile;
    private final SnapshotKey startupKey;

    private SnapshotSettings(Compression compression, Path keyFile, SnapshotKey startupKey) {
        this.compression = compression;
        this.keyFile = keyFile;
        this.startupKey = startupKey;
    }

    /** Uncompressed, unsigned. */
    public static SnapshotSettings plain() {
        return new SnapshotSettings(Compression.NONE, null, null);
    }

    /**
     * @param keyFile the key file, or null for unsigned snapshots
     * @throws SnapshotKeyException when the key file must not be used
     */
    public static SnapshotSettings load(Compression compression, Path keyFile) throws SnapshotKeyException {
        Objects.requireNonNull(compression, "compression");
        return new SnapshotSettings(compression, keyFile, keyFile == null ? null : SnapshotKey.load(keyFile));
    }

    /** For the next checkpoint: the key file is read and checked again. */
    public WriteOptions writeOptions() throws SnapshotKeyException {
        WriteOptions options = WriteOptions.defaults().withCompression(compression);
        return keyFile == null ? options : options.withKey(SnapshotKey.load(keyFile));
    }

    /** For warming up the write path: the same work, with a throwaway key so the key file is not touched. */
    public WriteOptions warmUpOptions() {
        WriteOptions options = WriteOptions.defaults().withCompression(compression);
        return keyFile == null ? options : options.withKey(SnapshotKey.of(WARM_UP_KEY, "warm-up"));
    }

    /** For the restore at start: signed with the key as it was when the run started, or unsigned when there is none. */
    public ReadOptions readOptions() {
        return ReadOptions.defaults().withKey(startupKey);
    }
}
