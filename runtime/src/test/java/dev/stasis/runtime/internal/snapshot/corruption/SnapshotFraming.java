package dev.stasis.runtime.internal.snapshot.corruption;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Where the fields of one snapshot file are, read from the file itself by the framing that
 * docs/FORMAT.md documents (header, manifest, header checksum, length-prefixed data blocks with a
 * checksum each, end block, trailer). The corruption tests place their damage with it, so they
 * follow block edges wherever the content puts them and do not depend on how the production
 * reader is written. It is deliberately independent of the production code: when the documented
 * framing changes, {@link #parse} refuses the new files with a message pointing here, and this is
 * the one class to update.
 *
 * @param manifestLength length of the manifest that follows the 16-byte header
 * @param blocks         the data blocks in file order (the end block not included)
 * @param fileLength     bytes in the file
 */
record SnapshotFraming(int manifestLength, List<Block> blocks, long fileLength) {
    static final int MAGIC_BYTES = 8;
    static final int VERSION_OFFSET = 8;
    static final int MANIFEST_LENGTH_OFFSET = 12;
    static final int HEADER_BYTES = 16;
    /** Total payload length (8), CRC32C of the payload (4), end magic (8). */
    static final int TRAILER_BYTES = 20;

    /**
     * One framed data block: {@code u32 length, payload, u32 CRC32C}.
     *
     * @param start  file offset of its length field
     * @param length payload bytes
     */
    record Block(long start, int length) {
        long payloadStart() {
            return start + 4;
        }

        long checksumStart() {
            return start + 4 + length;
        }

        /** The offset just past the block: where the next one starts. */
        long end() {
            return start + 8 + length;
        }

        boolean contains(long offset) {
            return offset >= start && offset < end();
        }
    }

    SnapshotFraming {
        blocks = List.copyOf(blocks);
    }

    /** @throws IllegalStateException if the bytes are not framed as docs/FORMAT.md says */
    static SnapshotFraming parse(byte[] file) {
        ByteBuffer in = ByteBuffer.wrap(file);
        require(file.length >= HEADER_BYTES, file, "shorter than the header");
        int manifestLength = in.getInt(MANIFEST_LENGTH_OFFSET);
        long position = (long) HEADER_BYTES + manifestLength + 4;
        List<Block> blocks = new ArrayList<>();
        while (true) {
            require(position + 4 <= file.length, file, "no end block");
            int length = in.getInt((int) position);
            if (length == 0) {
                break;
            }
            require(length > 0 && position + 8 + length <= file.length, file, "a block length runs past the end");
            Block block = new Block(position, length);
            blocks.add(block);
            position = block.end();
        }
        require(position + 4 + TRAILER_BYTES == file.length, file, "the trailer does not end the file");
        return new SnapshotFraming(manifestLength, blocks, file.length);
    }

    private static void require(boolean condition, byte[] file, String problem) {
        if (!condition) {
            throw new IllegalStateException("a freshly written snapshot of " + file.length + " bytes does not follow the"
                    + " framing in docs/FORMAT.md that SnapshotFraming (test code) parses: " + problem
                    + "; if the format changed on purpose, update SnapshotFraming to match the new docs/FORMAT.md");
        }
    }

    long dataStart() {
        return HEADER_BYTES + manifestLength + 4L;
    }

    long endBlockStart() {
        return blocks.isEmpty() ? dataStart() : blocks.get(blocks.size() - 1).end();
    }

    long trailerStart() {
        return endBlockStart() + 4;
    }

    long payloadLength() {
        return blocks.stream().mapToLong(Block::length).sum();
    }

    /**
     * Every offset where a field of the framing begins, and the end of the file: magic, version,
     * manifest length, manifest, header checksum, each block's length, payload and checksum, the
     * end block, the trailer's three fields.
     */
    TreeSet<Long> edges() {
        TreeSet<Long> edges = new TreeSet<>(List.of(0L, (long) VERSION_OFFSET, (long) MANIFEST_LENGTH_OFFSET,
                (long) HEADER_BYTES, HEADER_BYTES + (long) manifestLength, dataStart()));
        for (Block block : blocks) {
            edges.addAll(List.of(block.start(), block.payloadStart(), block.checksumStart(), block.end()));
        }
        long trailer = trailerStart();
        edges.addAll(List.of(endBlockStart(), trailer, trailer + 8, trailer + 12, fileLength));
        return edges;
    }

    /** The data block holding {@code offset} in its length, payload or checksum, or null. */
    Block blockAt(long offset) {
        return blocks.stream().filter(b -> b.contains(offset)).findFirst().orElse(null);
    }

    /**
     * Where the checked unit holding {@code offset} begins: 0 for the header and manifest (one
     * checksum covers them), a data block's start, or the end block's start for the end block
     * and the trailer. A reader that finds damage at {@code offset} cannot honestly name an
     * earlier place: everything before this unit is intact.
     */
    long unitStart(long offset) {
        if (offset < dataStart()) {
            return 0;
        }
        Block block = blockAt(offset);
        return block != null ? block.start() : Math.min(offset, endBlockStart());
    }
}
