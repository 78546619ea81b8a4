package dev.stasis.runtime.internal.snapshot;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/** Reads and writes snapshot files. STUB: signatures agreed, bodies being written. */
public final class SnapshotCodec {
    private SnapshotCodec() {
    }

    /**
     * Writes a complete snapshot (header, manifest, Kryo graph of the content, checksum).
     * @return bytes written
     */
    public static long write(OutputStream out, Manifest manifest, SnapshotContent content) throws IOException {
        throw new UnsupportedOperationException("not yet");
    }

    /** Reads and checks header, manifest and checksum, without resolving any application class. */
    public static Manifest readManifest(Path file) throws IOException {
        throw new UnsupportedOperationException("not yet");
    }

    /** Reads the content graph, resolving classes through {@code loader}; call after {@link #readManifest}. */
    public static SnapshotContent readContent(Path file, ClassLoader loader) throws IOException {
        throw new UnsupportedOperationException("not yet");
    }
}
