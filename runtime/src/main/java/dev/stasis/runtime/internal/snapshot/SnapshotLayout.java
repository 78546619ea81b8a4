package dev.stasis.runtime.internal.snapshot;

import java.nio.charset.StandardCharsets;

/** Constants of the file layout described in docs/FORMAT.md. */
final class SnapshotLayout {
    /** "STASIS", then 0x1A (stops `type` on DOS) and '\n' (detects newline translation). */
    static final byte[] MAGIC = {'S', 'T', 'A', 'S', 'I', 'S', 0x1A, '\n'};
    /** Marks the end of a complete file, so a truncated one is recognised as such. */
    static final byte[] END_MAGIC = "STASEND\n".getBytes(StandardCharsets.US_ASCII);
    /** magic, format version, manifest length. */
    static final int HEADER_BYTES = MAGIC.length + 4 + 4;
    /** Total data length, CRC32C of the data, end magic. */
    static final int TRAILER_BYTES = 8 + 4 + END_MAGIC.length;
    /** Payload per data block; each block carries its own CRC32C so damage is located. */
    static final int BLOCK_BYTES = 1 << 20;
    /** The manifest is small (class names and fingerprints); anything larger is damage. */
    static final int MAX_MANIFEST_BYTES = 64 << 20;

    private SnapshotLayout() {
    }
}
