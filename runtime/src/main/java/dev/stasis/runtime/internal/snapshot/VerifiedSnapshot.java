package dev.stasis.runtime.internal.snapshot;

import java.util.List;

/**
 * A snapshot file that passed every check short of rebuilding its objects: header, manifest, every
 * block's checksum and decompression, trailer, class list and (when read with a key) the HMAC.
 *
 * @param classNames       every class the object graph names, in order of first appearance; only these are ever resolved
 * @param signed           the file carries an HMAC-SHA256
 * @param authenticated    that HMAC was checked against the configured key (false when read {@link ReadOptions#ignoringMac()})
 * @param blocks           data blocks
 * @param compressedBlocks of which LZ4-compressed
 * @param payloadBytes     serialized object graph, uncompressed
 * @param fileBytes        the whole file
 */
public record VerifiedSnapshot(Manifest manifest, List<String> classNames, boolean signed, boolean authenticated,
                               int blocks, int compressedBlocks, long payloadBytes, long fileBytes) {
    public VerifiedSnapshot {
        classNames = List.copyOf(classNames);
    }
}
