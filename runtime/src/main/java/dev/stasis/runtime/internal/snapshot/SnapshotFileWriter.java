package dev.stasis.runtime.internal.snapshot;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.zip.CRC32C;
import javax.crypto.Mac;

/** Writes the frame of a snapshot file (docs/FORMAT.md) around a payload that streams into its data blocks. */
final class SnapshotFileWriter {
    private static final int STREAM_BUFFER = 1 << 16;

    /** Writes the serialized object graph into {@code blocks}; returns every class name it wrote. */
    @FunctionalInterface
    interface Payload {
        List<String> writeTo(OutputStream blocks) throws IOException;
    }

    private SnapshotFileWriter() {
    }

    /** Does not close {@code out}. @return bytes written */
    static long write(OutputStream out, Manifest manifest, WriteOptions options, Payload payload) throws IOException {
        if (manifest.formatVersion() != Manifest.FORMAT_VERSION) {
            throw new IllegalArgumentException("manifest says format version " + manifest.formatVersion()
                    + " but this writer writes " + Manifest.FORMAT_VERSION);
        }
        CountingStream counting = new CountingStream(out);
        Mac mac = options.key() == null ? null : options.key().newMac();
        DataOutputStream data = new DataOutputStream(new BufferedOutputStream(new MacStream(counting, mac), STREAM_BUFFER));
        writeHeaderAndManifest(data, manifest, mac == null ? 0 : SnapshotLayout.FLAG_HMAC);

        BlockOutputStream blocks = new BlockOutputStream(data, options.blockBytes(), options.compression());
        List<String> classNames = payload.writeTo(blocks);
        blocks.finish();
        writeTrailer(data, blocks.rawBytes(), blocks.blocks(), classNames);
        data.flush();
        if (mac != null) {
            counting.write(mac.doFinal());
        }
        counting.write(SnapshotLayout.END_MAGIC);
        counting.flush();
        return counting.count;
    }

    private static void writeHeaderAndManifest(DataOutputStream data, Manifest manifest, int flags) throws IOException {
        byte[] encodedManifest = ManifestCodec.encode(manifest);
        byte[] header = new byte[SnapshotLayout.HEADER_BYTES];
        System.arraycopy(SnapshotLayout.MAGIC, 0, header, 0, SnapshotLayout.MAGIC.length);
        Bytes.putInt(header, SnapshotLayout.VERSION_OFFSET, Manifest.FORMAT_VERSION);
        Bytes.putInt(header, SnapshotLayout.FLAGS_OFFSET, flags);
        Bytes.putInt(header, SnapshotLayout.MANIFEST_LENGTH_OFFSET, encodedManifest.length);
        CRC32C crc = new CRC32C();
        crc.update(header);
        crc.update(encodedManifest);
        data.write(header);
        data.write(encodedManifest);
        data.writeInt((int) crc.getValue());
    }

    private static void writeTrailer(DataOutputStream data, long rawBytes, int blocks, List<String> classNames)
            throws IOException {
        byte[] trailer = Trailer.encode(rawBytes, blocks, ManifestCodec.encodeClassList(classNames));
        data.write(trailer);
        data.writeInt(Trailer.crc(trailer));
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

    /** Feeds everything written through it to the HMAC (none when unsigned). */
    private static final class MacStream extends FilterOutputStream {
        private final Mac mac;

        MacStream(OutputStream out, Mac mac) {
            super(out);
            this.mac = mac;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            if (mac != null) {
                mac.update((byte) b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            if (mac != null) {
                mac.update(b, off, len);
            }
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
