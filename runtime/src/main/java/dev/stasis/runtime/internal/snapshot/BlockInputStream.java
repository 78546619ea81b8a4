package dev.stasis.runtime.internal.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * Reads the data blocks written by {@link BlockOutputStream} up to their end marker. A block's
 * header is bounded and its CRC32C checked before anything else is done with it: only then is it
 * decompressed (into a buffer of its recorded raw length, at most 1 MiB) and handed out.
 *
 * <p>The first pass over a file checks the blocks without decompressing them and records their
 * checksums; the second pass, the one that feeds the deserializer, requires the same checksums,
 * so a file changed between the passes is refused rather than half trusted.
 */
final class BlockInputStream extends InputStream {
    private final PositionedInput in;
    private final boolean decompress;
    private final int[] expectedCrcs;
    private final byte[] stored = new byte[SnapshotLayout.MAX_BLOCK_BYTES];
    private final byte[] raw;
    private final LZ4SafeDecompressor decompressor;
    private final BlockChecksum checksum = new BlockChecksum();
    private int[] crcs = new int[16];
    private long[] blockOffsets = new long[16];
    private long[] blockRawStarts = new long[16];
    private boolean[] compressed = new boolean[16];
    private byte[] current;
    private int limit;
    private int next;
    private long rawBytes;
    private int blocks;
    private int compressedBlocks;
    private boolean ended;

    private BlockInputStream(PositionedInput in, boolean decompress, int[] expectedCrcs) {
        this.in = in;
        this.decompress = decompress;
        this.expectedCrcs = expectedCrcs;
        this.raw = decompress ? new byte[SnapshotLayout.MAX_BLOCK_BYTES] : null;
        this.decompressor = decompress ? Lz4Blocks.decompressor() : null;
    }

    /** The checking pass: headers and checksums, nothing decompressed, nothing handed out. */
    static BlockInputStream checking(PositionedInput in) {
        return new BlockInputStream(in, false, null);
    }

    /** The reading pass: the payload, from blocks that must carry the checksums the checking pass saw. */
    static BlockInputStream reading(PositionedInput in, int[] checkedCrcs) {
        return new BlockInputStream(in, true, checkedCrcs);
    }

    @Override
    public int read() throws IOException {
        if (next == limit && !loadBlock()) {
            return -1;
        }
        return current[next++] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (next == limit && !loadBlock()) {
            return -1;
        }
        int n = Math.min(length, limit - next);
        System.arraycopy(current, next, buffer, offset, n);
        next += n;
        return n;
    }

    /** Reads every remaining block up to and including the end marker. */
    void skipToEnd() throws IOException {
        while (loadBlock()) {
            next = limit;
        }
    }

    /** Raw payload bytes in the blocks read so far (all of them once the end marker was read). */
    long rawBytes() {
        return rawBytes;
    }

    int blocks() {
        return blocks;
    }

    int compressedBlocks() {
        return compressedBlocks;
    }

    /** The checksum of each block read, in order. */
    int[] crcs() {
        return Arrays.copyOf(crcs, blocks);
    }

    /**
     * The file offset of raw payload byte {@code position}: exact in a stored block, the block's
     * start in a compressed one (whose bytes do not map one to one).
     */
    long fileOffsetOf(long position) {
        int i = Arrays.binarySearch(blockRawStarts, 0, blocks, position);
        int block = i >= 0 ? i : -i - 2;
        if (block < 0) {
            return blocks == 0 ? in.position() : blockOffsets[0];
        }
        long start = blockOffsets[block];
        return compressed[block] ? start : start + SnapshotLayout.BLOCK_HEADER_BYTES + (position - blockRawStarts[block]);
    }

    private boolean loadBlock() throws IOException {
        if (ended) {
            return false;
        }
        long start = in.position();
        int storedLength = in.readInt("a data block header");
        if (storedLength == 0) {
            ended = true;
            limit = 0;
            next = 0;
            return false;
        }
        byte encoding = in.readByte("a data block header");
        int rawLength = in.readInt("a data block header");
        checkHeader(start, storedLength, encoding, rawLength);
        in.readFully(stored, 0, storedLength, "data block #" + blocks);
        int recorded = in.readInt("the checksum of data block #" + blocks);
        int computed = checksum.of(blocks, storedLength, encoding, rawLength, stored);
        if (recorded != computed) {
            throw in.corrupt(start, "CRC32C mismatch in data block #" + blocks + " at offsets " + start + ".." + in.position()
                    + " (stored " + Integer.toHexString(recorded) + ", computed " + Integer.toHexString(computed)
                    + "): the block is damaged or out of place");
        }
        if (expectedCrcs != null && (blocks >= expectedCrcs.length || expectedCrcs[blocks] != recorded)) {
            throw in.corrupt(start, "data block #" + blocks + " is not the one checked a moment ago:"
                    + " the file changed while it was being read");
        }
        record(start, recorded, encoding == SnapshotLayout.ENCODING_LZ4);
        if (decompress) {
            current = encoding == SnapshotLayout.ENCODING_LZ4 ? decompress(start, storedLength, rawLength) : stored;
        }
        limit = decompress ? rawLength : 0;
        next = 0;
        rawBytes += rawLength;
        blocks++;
        return true;
    }

    private void checkHeader(long start, int storedLength, byte encoding, int rawLength) throws SnapshotFormatException {
        int max = SnapshotLayout.MAX_BLOCK_BYTES;
        if (storedLength < 0 || storedLength > max) {
            throw in.corrupt(start, "data block #" + blocks + " claims " + Integer.toUnsignedString(storedLength)
                    + " stored bytes, more than the block size " + max);
        }
        if (rawLength < 1 || rawLength > max) {
            throw in.corrupt(start + 5, "data block #" + blocks + " claims " + Integer.toUnsignedString(rawLength)
                    + " raw bytes; a block holds 1 to " + max);
        }
        if (encoding == SnapshotLayout.ENCODING_RAW && rawLength != storedLength) {
            throw in.corrupt(start + 5, "data block #" + blocks + " is stored uncompressed but claims " + rawLength
                    + " raw bytes for " + storedLength + " stored");
        }
        if (encoding == SnapshotLayout.ENCODING_LZ4 && storedLength >= rawLength) {
            throw in.corrupt(start + 5, "data block #" + blocks + " is LZ4-compressed but claims " + rawLength
                    + " raw bytes for " + storedLength + " stored (a compressed block is always smaller)");
        }
        if (encoding != SnapshotLayout.ENCODING_RAW && encoding != SnapshotLayout.ENCODING_LZ4) {
            throw in.corrupt(start + 4, "data block #" + blocks + " has unknown encoding " + (encoding & 0xFF)
                    + " (0 stored, 1 LZ4): written by a newer Stasis, or damaged");
        }
    }

    /** The safe decompressor writes at most {@code rawLength} bytes and must produce exactly that many. */
    private byte[] decompress(long start, int storedLength, int rawLength) throws SnapshotFormatException {
        int produced;
        try {
            produced = decompressor.decompress(stored, 0, storedLength, raw, 0, rawLength);
        } catch (LZ4Exception e) {
            throw in.corrupt(start, "data block #" + blocks + " passed its checksum but its LZ4 data does not decompress"
                    + " to " + rawLength + " bytes (" + e.getMessage() + "): written by a faulty compressor");
        }
        if (produced != rawLength) {
            throw in.corrupt(start, "data block #" + blocks + " decompresses to " + produced + " bytes, its header says "
                    + rawLength);
        }
        return raw;
    }

    private void record(long start, int crc, boolean lz4) {
        if (blocks == crcs.length) {
            int grown = blocks * 2;
            crcs = Arrays.copyOf(crcs, grown);
            blockOffsets = Arrays.copyOf(blockOffsets, grown);
            blockRawStarts = Arrays.copyOf(blockRawStarts, grown);
            compressed = Arrays.copyOf(compressed, grown);
        }
        crcs[blocks] = crc;
        blockOffsets[blocks] = start;
        blockRawStarts[blocks] = rawBytes;
        compressed[blocks] = lz4;
        if (lz4) {
            compressedBlocks++;
        }
    }
}
