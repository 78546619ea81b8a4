package dev.stasis.runtime.internal.snapshot.corruption;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;

/**
 * A damaged copy of a {@link BaseSnapshot}, and the kinds of damage the corruption tests apply:
 * what a crash, a torn write, a bad disk or a careless copy can do to a file. Each factory
 * returns a new array; the base is never modified.
 *
 * @param base        the intact snapshot it was made from
 * @param description what was done, for failure messages
 * @param bytes       the damaged file
 */
record Damage(BaseSnapshot base, String description, byte[] bytes) {
    static final int PAGE = 4096;

    /** True when the damage happens to leave the file as it was (e.g. a zeroed page that held zeros). */
    boolean changesNothing() {
        return Arrays.equals(bytes, base.bytes());
    }

    @Override
    public String toString() {
        return description + " of " + base;
    }

    static Damage truncated(BaseSnapshot base, int length) {
        return new Damage(base, "truncated to " + length + " bytes", Arrays.copyOf(base.bytes(), length));
    }

    /** Flips the given bits, numbered from the first bit of the file (bit 8*n+k is bit k of byte n). */
    static Damage bitsFlipped(BaseSnapshot base, List<Long> bits) {
        byte[] bytes = base.bytes().clone();
        for (long bit : bits) {
            bytes[(int) (bit / 8)] ^= (byte) (1 << (bit % 8));
        }
        return new Damage(base, "bits " + bits + " flipped", bytes);
    }

    /** Overwrites {@code width} bytes from {@code from} with random ones: a garbled sector. */
    static Damage garbled(BaseSnapshot base, int from, int width, long seed) {
        byte[] bytes = base.bytes().clone();
        byte[] garbage = new byte[Math.min(width, bytes.length - from)];
        new Random(seed).nextBytes(garbage);
        System.arraycopy(garbage, 0, bytes, from, garbage.length);
        return new Damage(base, garbage.length + " bytes from offset " + from + " garbled (seed " + seed + ")", bytes);
    }

    /** Zeroes whole 4 KiB pages (the last one may be partial), as a torn or lost page write leaves them. */
    static Damage pagesZeroed(BaseSnapshot base, List<Integer> pages) {
        byte[] bytes = base.bytes().clone();
        for (int page : pages) {
            int from = page * PAGE;
            Arrays.fill(bytes, from, Math.min(bytes.length, from + PAGE), (byte) 0);
        }
        return new Damage(base, "pages " + pages + " zeroed", bytes);
    }

    /** Zeroes from page {@code page} to the end: the file has its full length but its tail never reached the disk. */
    static Damage tailZeroed(BaseSnapshot base, int page) {
        byte[] bytes = base.bytes().clone();
        Arrays.fill(bytes, page * PAGE, bytes.length, (byte) 0);
        return new Damage(base, "zeroed from page " + page + " to the end", bytes);
    }

    static Damage withInt(BaseSnapshot base, long offset, int value, String field) {
        byte[] bytes = base.bytes().clone();
        ByteBuffer.wrap(bytes).putInt((int) offset, value);
        return new Damage(base, field + " at offset " + offset + " set to " + value, bytes);
    }

    static Damage withLong(BaseSnapshot base, long offset, long value, String field) {
        byte[] bytes = base.bytes().clone();
        ByteBuffer.wrap(bytes).putLong((int) offset, value);
        return new Damage(base, field + " at offset " + offset + " set to " + value, bytes);
    }

    static Damage withByte(BaseSnapshot base, long offset, byte value, String field) {
        byte[] bytes = base.bytes().clone();
        bytes[(int) offset] = value;
        return new Damage(base, field + " byte at offset " + offset + " set to " + (value & 0xFF), bytes);
    }

    /**
     * Sets an int inside the manifest and recomputes the header checksum, as a hostile or buggy
     * writer would: only the manifest decoder's own bounds stand between the value and an allocation.
     */
    static Damage manifestIntForged(BaseSnapshot base, long offset, int value, String field) {
        byte[] bytes = base.bytes().clone();
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        buffer.putInt((int) offset, value);
        int checksumAt = SnapshotFraming.HEADER_BYTES + base.framing().manifestLength();
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, checksumAt);
        buffer.putInt(checksumAt, (int) crc.getValue());
        return new Damage(base, field + " at offset " + offset + " forged to " + value + " (header checksum recomputed)", bytes);
    }

    /** The data blocks in the order given by {@code order} (indices into the base's blocks; repeats and omissions allowed). */
    static Damage blocksReordered(BaseSnapshot base, List<Integer> order, String description) {
        SnapshotFraming framing = base.framing();
        byte[] original = base.bytes();
        ByteArrayOutputStream out = new ByteArrayOutputStream(original.length + (1 << 21));
        out.write(original, 0, (int) framing.dataStart());
        for (int index : order) {
            SnapshotFraming.Block block = framing.blocks().get(index);
            out.write(original, (int) block.start(), (int) (block.end() - block.start()));
        }
        out.write(original, (int) framing.endBlockStart(), (int) (original.length - framing.endBlockStart()));
        return new Damage(base, description + ": blocks in order " + order, out.toByteArray());
    }
}
