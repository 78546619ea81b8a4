package dev.stasis.runtime.internal.snapshot.corruption;

/**
 * An intact snapshot file, as {@code SnapshotCodec.write} produced it, that the corruption tests
 * damage.
 *
 * @param name    says which size it was made to (shown in failures)
 * @param bytes   the whole file; never modified (damage works on copies)
 * @param framing where its fields are
 */
record BaseSnapshot(String name, byte[] bytes, SnapshotFraming framing) {
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
