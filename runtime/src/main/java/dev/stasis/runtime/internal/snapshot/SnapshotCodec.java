package dev.stasis.runtime.internal.snapshot;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.stasis.runtime.internal.snapshot.kryo.CapturePathException;
import dev.stasis.runtime.internal.snapshot.kryo.SnapshotKryoFactory;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * Reads and writes snapshot files (layout: docs/FORMAT.md). Everything streams: neither the
 * graph nor the file is ever held in memory as a whole.
 */
public final class SnapshotCodec {
    private static final int STREAM_BUFFER = 1 << 16;

    private SnapshotCodec() {
    }

    /**
     * Writes a complete snapshot (header, manifest, Kryo graph of the content, checksum).
     * Does not close {@code out}.
     *
     * @return bytes written
     * @throws UncapturableObjectException if the content holds an object that cannot be saved
     */
    public static long write(OutputStream out, Manifest manifest, SnapshotContent content) throws IOException {
        if (manifest.formatVersion() != Manifest.FORMAT_VERSION) {
            throw new IllegalArgumentException("manifest says format version " + manifest.formatVersion()
                    + " but this writer writes " + Manifest.FORMAT_VERSION);
        }
        CountingStream counting = new CountingStream(out);
        DataOutputStream data = new DataOutputStream(new BufferedOutputStream(counting, STREAM_BUFFER));
        byte[] encodedManifest = ManifestCodec.encode(manifest);
        CRC32C headerCrc = new CRC32C();
        byte[] header = new byte[SnapshotLayout.HEADER_BYTES];
        System.arraycopy(SnapshotLayout.MAGIC, 0, header, 0, SnapshotLayout.MAGIC.length);
        putInt(header, SnapshotLayout.MAGIC.length, Manifest.FORMAT_VERSION);
        putInt(header, SnapshotLayout.MAGIC.length + 4, encodedManifest.length);
        headerCrc.update(header);
        headerCrc.update(encodedManifest);
        data.write(header);
        data.write(encodedManifest);
        data.writeInt((int) headerCrc.getValue());

        BlockOutputStream blocks = new BlockOutputStream(data);
        Output output = new Output(blocks, STREAM_BUFFER);
        Kryo kryo = SnapshotKryoFactory.create(SnapshotCodec.class.getClassLoader());
        try {
            kryo.writeObject(output, content);
            output.flush();
        } catch (CapturePathException e) {
            throw new UncapturableObjectException(e.describe(), e);
        } catch (KryoException e) {
            throw ioCause(e).orElseThrow(() -> new UncapturableObjectException("cannot snapshot: " + e.getMessage(), e));
        } catch (StackOverflowError e) {
            throw new UncapturableObjectException("cannot snapshot: the object graph is nested too deeply for the stack of"
                    + " thread " + Thread.currentThread().getName() + ": write snapshots on a thread with a larger stack", e);
        }
        blocks.finish();
        data.flush();
        return counting.count;
    }

    /** Reads and checks header, manifest and checksum, without resolving any application class. */
    public static Manifest readManifest(Path file) throws IOException {
        try (PositionedInput in = new PositionedInput(file)) {
            Manifest manifest = readHeader(in);
            new BlockInputStream(in).verifyToEnd();
            return manifest;
        }
    }

    /**
     * Reads the content graph, resolving classes through {@code loader}, once the whole file has
     * passed every check of {@link #readManifest}.
     */
    public static SnapshotContent readContent(Path file, ClassLoader loader) throws IOException {
        // Verify everything first, then deserialize: otherwise a truncated tail, a damaged later
        // block or intact blocks out of order (only the trailer sees those) would be found after
        // Kryo had resolved classes and built objects from the bytes before them, possibly
        // allocating what a misplaced length said. Costs one more sequential read of the file.
        readManifest(file);
        try (PositionedInput in = new PositionedInput(file)) {
            readHeader(in);
            long dataStart = in.position();
            BlockInputStream blocks = new BlockInputStream(in);
            Input input = new Input(blocks, STREAM_BUFFER);
            Kryo kryo = SnapshotKryoFactory.create(loader);
            SnapshotContent content;
            try {
                content = kryo.readObject(input, SnapshotContent.class);
            } catch (RuntimeException e) {
                IOException io = ioCause(e).orElse(null);
                if (io != null) {
                    throw io;
                }
                throw SnapshotFormatException.at(file, fileOffsetOf(dataStart, input.total()),
                        "cannot rebuild the saved objects (data byte " + input.total() + "): " + e.getMessage());
            } catch (StackOverflowError e) {
                throw SnapshotFormatException.at(file, fileOffsetOf(dataStart, input.total()),
                        "the object graph is nested too deeply for the stack of thread " + Thread.currentThread().getName()
                                + ": read snapshots on a thread with a larger stack");
            }
            long graphBytes = input.total();
            blocks.verifyToEnd();
            if (graphBytes != blocks.payloadBytes()) {
                throw SnapshotFormatException.at(file, fileOffsetOf(dataStart, graphBytes),
                        (blocks.payloadBytes() - graphBytes) + " unexpected data bytes after the object graph");
            }
            return content;
        }
    }

    /** Maps a payload position to its file offset: every block but the last is full. */
    private static long fileOffsetOf(long dataStart, long payloadPosition) {
        long fullBlocks = payloadPosition / SnapshotLayout.BLOCK_BYTES;
        return dataStart + fullBlocks * (SnapshotLayout.BLOCK_BYTES + 8L) + 4 + payloadPosition % SnapshotLayout.BLOCK_BYTES;
    }

    private static Manifest readHeader(PositionedInput in) throws IOException {
        Path file = in.file();
        byte[] header = new byte[SnapshotLayout.HEADER_BYTES];
        in.readFully(header, 0, SnapshotLayout.MAGIC.length, "the header");
        if (!Arrays.equals(header, 0, SnapshotLayout.MAGIC.length, SnapshotLayout.MAGIC, 0, SnapshotLayout.MAGIC.length)) {
            throw in.corrupt(0, "bad magic: not a Stasis snapshot (it starts with "
                    + HexFormat.of().formatHex(header, 0, SnapshotLayout.MAGIC.length) + ")");
        }
        in.readFully(header, SnapshotLayout.MAGIC.length, 8, "the header");
        int version = getInt(header, SnapshotLayout.MAGIC.length);
        if (version > Manifest.FORMAT_VERSION) {
            throw SnapshotFormatException.newerVersion(file, SnapshotLayout.MAGIC.length, version);
        }
        if (version < 1) {
            throw in.corrupt(SnapshotLayout.MAGIC.length, "impossible format version " + version);
        }
        int length = getInt(header, SnapshotLayout.MAGIC.length + 4);
        long room = Files.size(file) - SnapshotLayout.HEADER_BYTES - 4;
        if (length < 0 || length > SnapshotLayout.MAX_MANIFEST_BYTES || length > room) {
            throw in.corrupt(SnapshotLayout.MAGIC.length + 4, "impossible manifest length " + length
                    + " (the file has room for " + Math.max(0, room) + ")");
        }
        byte[] encoded = new byte[length];
        in.readFully(encoded, 0, length, "the manifest");
        int stored = in.readInt("the manifest checksum");
        CRC32C crc = new CRC32C();
        crc.update(header);
        crc.update(encoded);
        if ((int) crc.getValue() != stored) {
            throw in.corrupt(0, "CRC32C mismatch in the header and manifest (offsets 0.."
                    + (SnapshotLayout.HEADER_BYTES + length) + ")");
        }
        Manifest manifest;
        try {
            manifest = ManifestCodec.decode(encoded);
        } catch (IOException e) {
            throw in.corrupt(SnapshotLayout.HEADER_BYTES, "malformed manifest: " + e.getMessage());
        }
        if (manifest.formatVersion() != version) {
            throw in.corrupt(SnapshotLayout.HEADER_BYTES, "the manifest says format version " + manifest.formatVersion()
                    + " but the header says " + version);
        }
        return manifest;
    }

    private static Optional<IOException> ioCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof IOException io) {
                return Optional.of(io);
            }
        }
        return Optional.empty();
    }

    private static void putInt(byte[] b, int at, int value) {
        b[at] = (byte) (value >>> 24);
        b[at + 1] = (byte) (value >>> 16);
        b[at + 2] = (byte) (value >>> 8);
        b[at + 3] = (byte) value;
    }

    private static int getInt(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }

    /** Counts what reaches the caller's stream; never closes it. */
    private static final class CountingStream extends FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
