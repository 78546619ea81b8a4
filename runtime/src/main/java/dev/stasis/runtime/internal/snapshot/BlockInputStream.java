package dev.stasis.runtime.internal.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Reads the data section written by {@link BlockOutputStream}. A block is checked before any of
 * its bytes are handed out, so damaged data never reaches the deserializer; the trailer is
 * checked when the end block is reached.
 */
final class BlockInputStream extends InputStream {
    private final PositionedInput in;
    private final byte[] block = new byte[SnapshotLayout.BLOCK_BYTES];
    private final CRC32C blockCrc = new CRC32C();
    private final CRC32C dataCrc = new CRC32C();
    private int limit;
    private int next;
    private long dataBytes;
    private boolean ended;

    BlockInputStream(PositionedInput in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        if (next == limit && !loadBlock()) {
            return -1;
        }
        return block[next++] & 0xFF;
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
        System.arraycopy(block, next, buffer, offset, n);
        next += n;
        return n;
    }

    /** Payload bytes handed out so far. */
    long consumed() {
        return dataBytes - (limit - next);
    }

    /** Reads and checks every remaining block and the trailer, discarding the payload. */
    void verifyToEnd() throws IOException {
        while (loadBlock()) {
            next = limit;
        }
    }

    /** Payload bytes in all blocks read so far (all of them once {@link #ended}). */
    long payloadBytes() {
        return dataBytes;
    }

    /** True once the end block and a valid trailer have been read and nothing follows them. */
    boolean ended() {
        return ended;
    }

    private boolean loadBlock() throws IOException {
        if (ended) {
            return false;
        }
        long start = in.position();
        int length = in.readInt("a data block header");
        if (length == 0) {
            readTrailer();
            return false;
        }
        if (length < 0 || length > block.length) {
            throw in.corrupt(start, "data block header claims " + Integer.toUnsignedString(length)
                    + " bytes, more than the block size " + block.length);
        }
        in.readFully(block, 0, length, "a data block");
        int expected = in.readInt("a data block checksum");
        blockCrc.reset();
        BlockOutputStream.updateWithInt(blockCrc, length);
        blockCrc.update(block, 0, length);
        if ((int) blockCrc.getValue() != expected) {
            throw in.corrupt(start, "CRC32C mismatch in the data block at offsets " + start + ".." + in.position()
                    + " (stored " + Integer.toHexString(expected) + ", computed "
                    + Long.toHexString(blockCrc.getValue()) + ")");
        }
        dataCrc.update(block, 0, length);
        dataBytes += length;
        limit = length;
        next = 0;
        return true;
    }

    private void readTrailer() throws IOException {
        long start = in.position();
        long recordedLength = in.readLong("the trailer");
        int recordedCrc = in.readInt("the trailer");
        byte[] endMagic = new byte[SnapshotLayout.END_MAGIC.length];
        in.readFully(endMagic, 0, endMagic.length, "the trailer");
        if (recordedLength != dataBytes) {
            throw in.corrupt(start, "trailer records " + recordedLength + " data bytes but the blocks hold " + dataBytes);
        }
        if (recordedCrc != (int) dataCrc.getValue()) {
            throw in.corrupt(start, "trailer CRC32C " + Integer.toHexString(recordedCrc)
                    + " does not match the data (" + Long.toHexString(dataCrc.getValue()) + ")");
        }
        if (!Arrays.equals(endMagic, SnapshotLayout.END_MAGIC)) {
            throw in.corrupt(start + 12, "bad end marker");
        }
        if (!in.atEnd()) {
            throw in.corrupt(in.position(), "unexpected bytes after the end marker");
        }
        limit = 0;
        next = 0;
        ended = true;
    }
}
