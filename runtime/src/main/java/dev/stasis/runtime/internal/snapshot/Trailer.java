package dev.stasis.runtime.internal.snapshot;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * What follows the data blocks' end marker: raw payload length, block count, class list length and
 * the class list, then the CRC32C of those. The class list comes last because it is known only once
 * the object graph has been written.
 */
final class Trailer {
    private Trailer() {
    }

    static byte[] encode(long rawBytes, int blocks, byte[] classList) {
        return ByteBuffer.allocate(SnapshotLayout.TRAILER_FIXED_BYTES + classList.length)
                .putLong(rawBytes).putInt(blocks).putInt(classList.length).put(classList).array();
    }

    static int crc(byte[] trailer) {
        CRC32C crc = new CRC32C();
        crc.update(trailer);
        return (int) crc.getValue();
    }
}
