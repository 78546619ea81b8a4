package dev.stasis.runtime.internal.snapshot;

import dev.stasis.runtime.internal.snapshot.SnapshotFormatException.Kind;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reads a snapshot file in two passes over one open channel. The first checks everything that can
 * be checked without building an object (header, manifest, every block's checksum, trailer, class
 * list, HMAC); only if all of it passes does the second pass hand the payload, block by block, to
 * whoever rebuilds the objects.
 */
final class SnapshotFileReader implements Closeable {
    /** What the first pass established, and what the second needs from it. */
    record Checked(VerifiedSnapshot snapshot, long dataStart, int[] blockCrcs) {
    }

    /** Consumes the payload of a checked file. */
    @FunctionalInterface
    interface PayloadReader<T> {
        T read(BlockInputStream payload, Checked checked) throws IOException;
    }

    private final Path file;
    private final FileChannel channel;
    private final ReadOptions options;

    private SnapshotFileReader(Path file, FileChannel channel, ReadOptions options) {
        this.file = file;
        this.channel = channel;
        this.options = options;
    }

    static SnapshotFileReader open(Path file, ReadOptions options) throws IOException {
        return new SnapshotFileReader(file, FileChannel.open(file, StandardOpenOption.READ), options);
    }

    /** The first pass. */
    Checked check() throws IOException {
        long size = channel.size();
        PositionedInput in = new PositionedInput(file, channel, 0);
        boolean authenticate = options.key() != null && options.checkMac();
        if (authenticate) {
            in.authenticateWith(options.key().newMac());
        }
        int flags = readHeaderFields(in);
        Manifest manifest = readManifest(in, flags, size);
        boolean signed = (flags & SnapshotLayout.FLAG_HMAC) != 0;
        requireKeyMatches(signed);
        long dataStart = in.position();
        BlockInputStream blocks = BlockInputStream.checking(in);
        blocks.skipToEnd();
        List<String> classNames = readTrailer(in, blocks, size);
        if (signed) {
            checkMac(in, authenticate);
        }
        byte[] endMagic = new byte[SnapshotLayout.END_MAGIC.length];
        long endAt = in.position();
        in.readFully(endMagic, 0, endMagic.length, "the end marker");
        if (!Arrays.equals(endMagic, SnapshotLayout.END_MAGIC)) {
            throw in.corrupt(endAt, "bad end marker");
        }
        if (!in.atEnd()) {
            throw in.corrupt(in.position(), "unexpected bytes after the end marker");
        }
        VerifiedSnapshot snapshot = new VerifiedSnapshot(manifest, classNames, signed, signed && authenticate,
                blocks.blocks(), blocks.compressedBlocks(), blocks.rawBytes(), size);
        return new Checked(snapshot, dataStart, blocks.crcs());
    }

    /** The second pass: {@code reader} gets the payload of the blocks {@code checked} vouched for. */
    <T> T readPayload(Checked checked, PayloadReader<T> reader) throws IOException {
        PositionedInput in = new PositionedInput(file, channel, checked.dataStart());
        return reader.read(BlockInputStream.reading(in, checked.blockCrcs()), checked);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** Magic, version and flags: refused here, nothing after them is looked at. */
    private int readHeaderFields(PositionedInput in) throws IOException {
        byte[] magic = new byte[SnapshotLayout.MAGIC.length];
        in.readFully(magic, 0, magic.length, "the header");
        if (!Arrays.equals(magic, SnapshotLayout.MAGIC)) {
            throw in.corrupt(0, "bad magic: not a Stasis snapshot (it starts with " + HexFormat.of().formatHex(magic) + ")");
        }
        int version = in.readInt("the header");
        if (version > Manifest.FORMAT_VERSION) {
            throw SnapshotFormatException.newerVersion(file, SnapshotLayout.VERSION_OFFSET, version);
        }
        if (version < 1) {
            throw in.corrupt(SnapshotLayout.VERSION_OFFSET, "impossible format version " + version);
        }
        if (version < Manifest.FORMAT_VERSION) {
            throw SnapshotFormatException.olderVersion(file, SnapshotLayout.VERSION_OFFSET, version);
        }
        return in.readInt("the header");
    }

    private Manifest readManifest(PositionedInput in, int flags, long size) throws IOException {
        int length = in.readInt("the header");
        long room = size - SnapshotLayout.HEADER_BYTES - 4;
        if (length < 0 || length > SnapshotLayout.MAX_MANIFEST_BYTES || length > room) {
            throw in.corrupt(SnapshotLayout.MANIFEST_LENGTH_OFFSET, "impossible manifest length " + length
                    + " (the file has room for " + Math.max(0, room) + ")");
        }
        byte[] encoded = new byte[length];
        in.readFully(encoded, 0, length, "the manifest");
        int stored = in.readInt("the manifest checksum");
        CRC32C crc = new CRC32C();
        crc.update(SnapshotLayout.MAGIC);
        crc.update(intBytes(Manifest.FORMAT_VERSION));
        crc.update(intBytes(flags));
        crc.update(intBytes(length));
        crc.update(encoded);
        if ((int) crc.getValue() != stored) {
            throw in.corrupt(0, "CRC32C mismatch in the header and manifest (offsets 0.."
                    + (SnapshotLayout.HEADER_BYTES + length) + ")");
        }
        if ((flags & ~SnapshotLayout.KNOWN_FLAGS) != 0) {
            throw SnapshotFormatException.of(Kind.UNSUPPORTED, file, SnapshotLayout.FLAGS_OFFSET, "unknown header flags 0x"
                    + Integer.toHexString(flags & ~SnapshotLayout.KNOWN_FLAGS) + ": written by a newer Stasis; use a newer agent");
        }
        Manifest manifest;
        try {
            manifest = ManifestCodec.decode(encoded);
        } catch (IOException e) {
            throw in.corrupt(SnapshotLayout.HEADER_BYTES, "malformed manifest: " + e.getMessage());
        }
        if (manifest.formatVersion() != Manifest.FORMAT_VERSION) {
            throw in.corrupt(SnapshotLayout.HEADER_BYTES, "the manifest says format version " + manifest.formatVersion()
                    + " but the header says " + Manifest.FORMAT_VERSION);
        }
        return manifest;
    }

    private void requireKeyMatches(boolean signed) throws SnapshotFormatException {
        if (signed && options.key() == null && options.checkMac()) {
            throw SnapshotFormatException.of(Kind.NOT_AUTHENTIC, file, SnapshotLayout.FLAGS_OFFSET,
                    "it is signed with an HMAC-SHA256 key, and no key is configured to check it: give the key file it"
                            + " was written with (agent option key=PATH)");
        }
        if (!signed && options.key() != null && options.checkMac()) {
            throw SnapshotFormatException.of(Kind.NOT_AUTHENTIC, file, SnapshotLayout.FLAGS_OFFSET,
                    "it is not signed, and a key is configured (" + options.key().source() + "), so only snapshots signed"
                            + " with that key are accepted: it was written without key=, or its signature was removed;"
                            + " drop key= only if you trust this file");
        }
    }

    private List<String> readTrailer(PositionedInput in, BlockInputStream blocks, long size) throws IOException {
        long start = in.position();
        long rawBytes = in.readLong("the trailer");
        int blockCount = in.readInt("the trailer");
        int listLength = in.readInt("the trailer");
        long room = size - in.position() - 4 - SnapshotLayout.END_MAGIC.length;
        if (listLength < 0 || listLength > SnapshotLayout.MAX_CLASS_LIST_BYTES || listLength > room) {
            throw in.corrupt(start + 12, "impossible class list length " + listLength + " (the file has room for "
                    + Math.max(0, room) + ")");
        }
        byte[] classList = new byte[listLength];
        in.readFully(classList, 0, listLength, "the class list");
        int stored = in.readInt("the trailer checksum");
        if (Trailer.crc(Trailer.encode(rawBytes, blockCount, classList)) != stored) {
            throw in.corrupt(start, "CRC32C mismatch in the trailer and class list (offsets " + start + ".."
                    + (in.position() - 4) + ")");
        }
        if (rawBytes != blocks.rawBytes() || blockCount != blocks.blocks()) {
            throw in.corrupt(start, "the trailer records " + blockCount + " blocks of " + rawBytes + " bytes, the file holds "
                    + blocks.blocks() + " blocks of " + blocks.rawBytes() + ": blocks are missing or added");
        }
        try {
            return ManifestCodec.decodeClassList(classList);
        } catch (IOException e) {
            throw in.corrupt(start + SnapshotLayout.TRAILER_FIXED_BYTES, "malformed class list: " + e.getMessage());
        }
    }

    /** Constant-time comparison: a timing difference would tell a forger how many leading bytes are right. */
    private void checkMac(PositionedInput in, boolean authenticate) throws IOException {
        long at = in.position();
        byte[] computed = authenticate ? in.finishMac() : null;
        byte[] recorded = new byte[SnapshotLayout.MAC_BYTES];
        in.readFully(recorded, 0, recorded.length, "the HMAC");
        if (authenticate && !MessageDigest.isEqual(computed, recorded)) {
            throw SnapshotFormatException.of(Kind.NOT_AUTHENTIC, file, at, "HMAC-SHA256 mismatch: it was not written with"
                    + " the key in " + options.key().source() + ", or it was altered after it was written;"
                    + " refused before any object was read");
        }
    }

    private static byte[] intBytes(int value) {
        byte[] b = new byte[4];
        Bytes.putInt(b, 0, value);
        return b;
    }
}
