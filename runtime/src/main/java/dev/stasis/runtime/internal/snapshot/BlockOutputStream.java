package dev.stasis.runtime.internal.snapshot;

import dev.stasis.runtime.Compression;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import net.jpountz.lz4.LZ4Compressor;

/**
 * Frames the payload into data blocks {@code [u32 stored length][u8 encoding][u32 raw length]
 * [stored bytes][u32 CRC32C]} (see {@link BlockChecksum}) and ends them with a zero stored length.
 * With LZ4 a block is stored compressed only when that makes it smaller. Per-block checksums let a
 * reader name the damaged region and refuse it before any of its bytes are decompressed or reach
 * the deserializer.
 */
final class BlockOutputStream extends OutputStream {
    private final DataOutputStream out;
    private final byte[] block;
    private final LZ4Compressor compressor;
    private final byte[] compressed;
    private final BlockChecksum checksum = new BlockChecksum();
    private int filled;
    private long rawBytes;
    private int blocks;
    private boolean finished;

    BlockOutputStream(DataOutputStream out, int blockBytes, Compression compression) {
        this.out = out;
        this.block = new byte[blockBytes];
        this.compressor = compression == Compression.LZ4 ? Lz4Blocks.compressor() : null;
        this.compressed = compressor == null ? null : new byte[compressor.maxCompressedLength(blockBytes)];
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

    /** Writes the last block and the end marker; the underlying stream stays open. */
    void finish() throws IOException {
        if (finished) {
            return;
        }
        emitBlock();
        out.writeInt(0);
        finished = true;
    }

    long rawBytes() {
        return rawBytes;
    }

    int blocks() {
        return blocks;
    }

    private void emitBlock() throws IOException {
        if (filled == 0) {
            return;
        }
        byte encoding = SnapshotLayout.ENCODING_RAW;
        byte[] stored = block;
        int storedLength = filled;
        if (compressor != null) {
            int n = compressor.compress(block, 0, filled, compressed, 0, compressed.length);
            if (n < filled) {
                encoding = SnapshotLayout.ENCODING_LZ4;
                stored = compressed;
                storedLength = n;
            }
        }
        out.writeInt(storedLength);
        out.writeByte(encoding);
        out.writeInt(filled);
        out.write(stored, 0, storedLength);
        out.writeInt(checksum.of(blocks, storedLength, encoding, filled, stored));
        rawBytes += filled;
        blocks++;
        filled = 0;
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
