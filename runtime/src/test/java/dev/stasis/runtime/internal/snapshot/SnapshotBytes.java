package dev.stasis.runtime.internal.snapshot;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/** Finds and repairs the parts of a snapshot file's bytes (docs/FORMAT.md), for tests that alter them. */
final class SnapshotBytes {
    /** A data block: where it starts, its header fields, where its stored bytes start. */
    record Block(int index, int offset, int storedLength, byte encoding, int rawLength) {
        int dataOffset() {
            return offset + SnapshotLayout.BLOCK_HEADER_BYTES;
        }

        int crcOffset() {
            return dataOffset() + storedLength;
        }

        int end() {
            return crcOffset() + 4;
        }
    }

    private SnapshotBytes() {
    }

    static int manifestLength(byte[] file) {
        return ByteBuffer.wrap(file).getInt(SnapshotLayout.MANIFEST_LENGTH_OFFSET);
    }

    static int headerCrcOffset(byte[] file) {
        return SnapshotLayout.HEADER_BYTES + manifestLength(file);
    }

    static int dataStart(byte[] file) {
        return headerCrcOffset(file) + 4;
    }

    static List<Block> blocks(byte[] file) {
        ByteBuffer b = ByteBuffer.wrap(file);
        List<Block> blocks = new ArrayList<>();
        int at = dataStart(file);
        while (b.getInt(at) != 0) {
            Block block = new Block(blocks.size(), at, b.getInt(at), b.get(at + 4), b.getInt(at + 5));
            blocks.add(block);
            at = block.end();
        }
        return blocks;
    }

    /** Makes the header checksum match the (altered) header and manifest, as a forger would. */
    static void fixHeaderCrc(byte[] file) {
        CRC32C crc = new CRC32C();
        crc.update(file, 0, headerCrcOffset(file));
        ByteBuffer.wrap(file).putInt(headerCrcOffset(file), (int) crc.getValue());
    }

    /** Makes a block's checksum match its (altered) content, as if it were block {@code index}. */
    static void fixBlockCrc(byte[] file, Block block, int index) {
        byte[] stored = new byte[block.storedLength()];
        System.arraycopy(file, block.dataOffset(), stored, 0, stored.length);
        int crc = new BlockChecksum().of(index, block.storedLength(), block.encoding(), block.rawLength(), stored);
        ByteBuffer.wrap(file).putInt(block.crcOffset(), crc);
    }
}
