package dev.stasis.runtime.internal.snapshot.corruption;

import dev.stasis.runtime.internal.snapshot.ReadOptions;

/**
 * An intact snapshot file, as {@code SnapshotCodec.write} produced it, that the corruption tests
 * damage.
 *
 * @param name        says how it was made (shown in failures)
 * @param bytes       the whole file; never modified (damage works on copies)
 * @param framing     where its fields are
 * @param readOptions how to read it intact (with its key when it is signed)
 */
record BaseSnapshot(String name, byte[] bytes, SnapshotFraming framing, ReadOptions readOptions) {
    int length() {
        return bytes.length;
    }

    boolean hasSeveralBlocks() {
        return framing.blocks().size() >= 2;
    }

    @Override
    public String toString() {
        return name + " (" + bytes.length + " bytes, " + framing.blocks().size() + " data blocks, manifest "
                + framing.manifestLength() + " bytes)";
    }
}
