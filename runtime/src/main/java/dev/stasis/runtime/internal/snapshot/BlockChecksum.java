package dev.stasis.runtime.internal.snapshot;

import java.util.zip.CRC32C;

/**
 * The CRC32C of a data block: its index (not stored: the reader counts), its header and its stored
 * bytes. The index makes a block that is in the wrong place (swapped, repeated, dropped) fail its
 * own check, before any of its bytes are used.
 */
final class BlockChecksum {
    private final CRC32C crc = new CRC32C();

    int of(int index, int storedLength, byte encoding, int rawLength, byte[] stored) {
        crc.reset();
        putInt(index);
        putInt(storedLength);
        crc.update(encoding);
        putInt(rawLength);
        crc.update(stored, 0, storedLength);
        return (int) crc.getValue();
    }

    private void putInt(int value) {
        crc.update(value >>> 24);
        crc.update(value >>> 16);
        crc.update(value >>> 8);
        crc.update(value);
    }
}
