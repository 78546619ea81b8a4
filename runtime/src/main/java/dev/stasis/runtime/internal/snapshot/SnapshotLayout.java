package dev.stasis.runtime.internal.snapshot;

import java.nio.charset.StandardCharsets;

/** Constants of the file layout described in docs/FORMAT.md. */
final class SnapshotLayout {
    /** "STASIS", then 0x1A (stops `type` on DOS) and '\n' (detects newline translation). */
    static final byte[] MAGIC = {'S', 'T', 'A', 'S', 'I', 'S', 0x1A, '\n'};
    /** Marks the end of a complete file, so a truncated one is recognised as such. */
    static final byte[] END_MAGIC = "STASEND\n".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION_OFFSET = MAGIC.length;
    static final int FLAGS_OFFSET = VERSION_OFFSET + 4;
    static final int MANIFEST_LENGTH_OFFSET = FLAGS_OFFSET + 4;
    /** magic, format version, flags, manifest length. */
    static final int HEADER_BYTES = MANIFEST_LENGTH_OFFSET + 4;
    /** Header flag: an HMAC-SHA256 of everything before it precedes the end magic. */
    static final int FLAG_HMAC = 1;
    static final int KNOWN_FLAGS = FLAG_HMAC;
    static final int MAC_BYTES = 32;
    /** Stored length, encoding, raw length. */
    static final int BLOCK_HEADER_BYTES = 4 + 1 + 4;
    static final int BLOCK_CRC_BYTES = 4;
    static final byte ENCODING_RAW = 0;
    static final byte ENCODING_LZ4 = 1;
    /** Raw payload per data block; each block carries its own CRC32C so damage is located. */
    static final int MAX_BLOCK_BYTES = 1 << 20;
    /** The manifest is small (class names and fingerprints); anything larger is damage. */
    static final int MAX_MANIFEST_BYTES = 64 << 20;
    /** The class list after the data: names only, far smaller than this. */
    static final int MAX_CLASS_LIST_BYTES = 64 << 20;
    /** Raw payload length, block count, class list length. */
    static final int TRAILER_FIXED_BYTES = 8 + 4 + 4;

    private SnapshotLayout() {
    }
}
