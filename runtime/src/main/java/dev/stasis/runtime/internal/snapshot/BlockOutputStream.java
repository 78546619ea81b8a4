package dev.stasis.runtime.internal.snapshot;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32C;

/**
 * Frames the data section into blocks {@code [u32 length][payload][u32 CRC32C(length, payload)]},
 * ends it with a zero-length block and the trailer (total length, CRC32C of all payload, end
 * magic). Per-block checksums let a reader name the damaged region and refuse it before any of
 * its bytes reach the deserializer.
 */
final class BlockOutputStream extends OutputStream {
    private final DataOutputStream out;
    private final byte[] block = new byte[SnapshotLayout.BLOCK_BYTES];
    private final CRC32C blockCrc = new CRC32C();
    private final CRC32C dataCrc = new CRC32C();
    private int filled;
    private long dataBytes;
    private boolean finished;

    BlockOutputStream(DataOutputStream out) {
        this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
        if (filled == block.length) {
            emitBlock();
        }
        block[filled++] = (byte) b;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        while (length > 0) {
            if (filled == block.length) {
                emitBlock();
            }
            int n = Math.min(length, block.length - filled);
            System.arraycopy(bytes, offset, block, filled, n);
            filled += n;
            offset += n;
            length -= n;
        }
    }

    /** Writes the last block, the end block and the trailer; the underlying stream stays open. */
    void finish() throws IOException {
        if (finished) {
            return;
        }
        emitBlock();
        out.writeInt(0);
        out.writeLong(dataBytes);
        out.writeInt((int) dataCrc.getValue());
        out.write(SnapshotLayout.END_MAGIC);
        out.flush();
        finished = true;
    }

    private void emitBlock() throws IOException {
        if (filled == 0) {
            return;
        }
        blockCrc.reset();
        updateWithInt(blockCrc, filled);
        blockCrc.update(block, 0, filled);
        dataCrc.update(block, 0, filled);
        out.writeInt(filled);
        out.write(block, 0, filled);
        out.writeInt((int) blockCrc.getValue());
        dataBytes += filled;
        filled = 0;
    }

    static void updateWithInt(CRC32C crc, int value) {
        crc.update(value >>> 24);
        crc.update(value >>> 16);
        crc.update(value >>> 8);
        crc.update(value);
    }

    /** Flushing mid-block would split blocks at arbitrary places; only {@link #finish} emits. */
    @Override
    public void flush() {
    }

    @Override
    public void close() throws IOException {
        finish();
    }
}
