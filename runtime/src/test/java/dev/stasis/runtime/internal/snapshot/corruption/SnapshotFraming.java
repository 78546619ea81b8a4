package dev.stasis.runtime.internal.snapshot.corruption;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Where the fields of one snapshot file are, read from the file itself by the framing that
 * docs/FORMAT.md documents for format 2 (header with flags, manifest, header checksum, data
 * blocks each with stored length, encoding, raw length, bytes and checksum, end of data, trailer
 * with the class list and its checksum, an HMAC when signed, end magic). The corruption tests
 * place their damage with it, so they follow block edges wherever the content puts them and do not
 * depend on how the production reader is written. It is deliberately independent of the
 * production code: when the documented framing changes, {@link #parse} refuses the new files with
 * a message pointing here, and this is the one class to update.
 *
 * @param manifestLength  length of the manifest that follows the header
 * @param blocks          the data blocks in file order
 * @param classListLength length of the trailer's class list
 * @param signed          whether an HMAC precedes the end magic
 * @param fileLength      bytes in the file
 */
record SnapshotFraming(int manifestLength, List<Block> blocks, int classListLength, boolean signed, long fileLength) {
    static final int MAGIC_BYTES = 8;
    static final int VERSION_OFFSET = 8;
    static final int FLAGS_OFFSET = 12;
    static final int MANIFEST_LENGTH_OFFSET = 16;
    static final int HEADER_BYTES = 20;
    /** Stored length (4), encoding (1), raw length (4). */
    static final int BLOCK_HEADER_BYTES = 9;
    static final int MAC_BYTES = 32;
    static final int END_MAGIC_BYTES = 8;

    /**
     * One framed data block: {@code u32 stored length, u8 encoding, u32 raw length, stored bytes, u32 CRC32C}.
     *
     * @param start     file offset of its stored length
     * @param stored    stored bytes
     * @param rawLength payload bytes it holds once decoded
     */
    record Block(long start, int stored, int rawLength) {
        long encodingAt() {
            return start + 4;
        }

        long rawLengthAt() {
            return start + 5;
        }

        long payloadStart() {
            return start + BLOCK_HEADER_BYTES;
        }

        long checksumStart() {
            return payloadStart() + stored;
        }

        /** The offset just past the block: where the next one starts. */
        long end() {
            return checksumStart() + 4;
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
        boolean signed = (in.getInt(FLAGS_OFFSET) & 1) != 0;
        int manifestLength = in.getInt(MANIFEST_LENGTH_OFFSET);
        long position = (long) HEADER_BYTES + manifestLength + 4;
        List<Block> blocks = new ArrayList<>();
        while (true) {
            require(position + 4 <= file.length, file, "no end of data");
            int stored = in.getInt((int) position);
            if (stored == 0) {
                break;
            }
            require(stored > 0 && position + BLOCK_HEADER_BYTES + stored + 4 <= file.length, file, "a block runs past the end");
            Block block = new Block(position, stored, in.getInt((int) position + 5));
            blocks.add(block);
            position = block.end();
        }
        long trailer = position + 4;
        require(trailer + 16 <= file.length, file, "no trailer");
        int classListLength = in.getInt((int) trailer + 12);
        long end = trailer + 16 + (long) classListLength + 4 + (signed ? MAC_BYTES : 0) + END_MAGIC_BYTES;
        require(classListLength >= 0 && end == file.length, file, "the trailer does not end the file");
        return new SnapshotFraming(manifestLength, blocks, classListLength, signed, file.length);
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

    /** The trailer's first field, the raw payload length; then the block count, the class list length, the class list. */
    long trailerStart() {
        return endBlockStart() + 4;
    }

    long blockCountAt() {
        return trailerStart() + 8;
    }

    long classListLengthAt() {
        return trailerStart() + 12;
    }

    long trailerChecksumAt() {
        return trailerStart() + 16 + classListLength;
    }

    long endMagicAt() {
        return fileLength - END_MAGIC_BYTES;
    }

    long payloadLength() {
        return blocks.stream().mapToLong(Block::rawLength).sum();
    }

    /**
     * Every offset where a field of the framing begins, and the end of the file: magic, version,
     * flags, manifest length, manifest, header checksum, each block's fields, the end of data, the
     * trailer's fields, the MAC, the end magic.
     */
    TreeSet<Long> edges() {
        TreeSet<Long> edges = new TreeSet<>(List.of(0L, (long) VERSION_OFFSET, (long) FLAGS_OFFSET,
                (long) MANIFEST_LENGTH_OFFSET, (long) HEADER_BYTES, HEADER_BYTES + (long) manifestLength, dataStart()));
        for (Block block : blocks) {
            edges.addAll(List.of(block.start(), block.encodingAt(), block.rawLengthAt(), block.payloadStart(),
                    block.checksumStart(), block.end()));
        }
        edges.addAll(List.of(endBlockStart(), trailerStart(), blockCountAt(), classListLengthAt(), classListLengthAt() + 4,
                trailerChecksumAt(), trailerChecksumAt() + 4, endMagicAt(), fileLength));
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
