package dev.stasis.runtime.internal.snapshot.corruption;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The length and count fields of a snapshot's manifest, found by walking its encoding as
 * docs/FORMAT.md documents it (strings are {@code i32 length} or -1 then UTF-8; lists and the map a
 * {@code i32 count} then items). Like {@link SnapshotFraming}, independent of the production code.
 */
final class ManifestFields {
    /** One length or count field: where it is, what it counts, and how many bytes of the manifest follow it. */
    record Field(long offset, String name, int bytesAfter) {
    }

    private final ByteBuffer in;
    private final int end;
    private final List<Field> fields = new ArrayList<>();
    private int position;

    private ManifestFields(byte[] file, SnapshotFraming framing) {
        this.in = ByteBuffer.wrap(file);
        this.position = SnapshotFraming.HEADER_BYTES;
        this.end = SnapshotFraming.HEADER_BYTES + framing.manifestLength();
    }

    static List<Field> of(BaseSnapshot base) {
        ManifestFields walk = new ManifestFields(base.bytes(), base.framing());
        walk.skip(4);
        walk.string("snapshot id length");
        walk.string("run id length");
        walk.skip(8);
        walk.string("agent version length");
        walk.string("java version length");
        walk.string("main class length");
        walk.list("arguments");
        walk.map("fingerprint");
        walk.list("init order");
        walk.list("threads");
        walk.map("system property");
        walk.string("environment salt length");
        walk.map("environment digest");
        walk.skip(8); // clockNanos (format 4): any value is valid
        if (walk.position != walk.end) {
            throw new IllegalStateException("the manifest of " + base + " has " + (walk.end - walk.position)
                    + " bytes ManifestFields (test code) did not expect: update it to match docs/FORMAT.md");
        }
        return List.copyOf(walk.fields);
    }

    private void map(String name) {
        int entries = count(name + " count");
        for (int i = 0; i < entries; i++) {
            string(name + " key length");
            string(name + " value length");
        }
    }

    private void skip(int bytes) {
        position += bytes;
    }

    private void string(String name) {
        int length = count(name);
        if (length > 0) {
            position += length;
        }
    }

    private void list(String name) {
        int items = count(name + " count");
        for (int i = 0; i < items; i++) {
            string(name + " item length");
        }
    }

    private int count(String name) {
        int value = in.getInt(position);
        position += 4;
        fields.add(new Field(position - 4, name, end - position));
        return value;
    }
}
