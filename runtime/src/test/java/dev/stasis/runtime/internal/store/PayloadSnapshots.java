package dev.stasis.runtime.internal.store;

import dev.stasis.runtime.internal.snapshot.ClassStatics;
import dev.stasis.runtime.internal.snapshot.Manifest;
import dev.stasis.runtime.internal.snapshot.SnapshotCodec;
import dev.stasis.runtime.internal.snapshot.SnapshotContent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Real snapshots (written and checked by the codec) whose content is one byte array, for store tests. */
final class PayloadSnapshots {
    private PayloadSnapshots() {
    }

    /** Random bytes of a random length up to {@code maxBytes}: several write buffers and blocks when large. */
    static byte[] randomPayload(Random random, int maxBytes) {
        byte[] payload = new byte[random.nextInt(maxBytes + 1)];
        random.nextBytes(payload);
        return payload;
    }

    static SnapshotFile commit(SnapshotStore store, byte[] payload) throws IOException {
        String id = store.newSnapshotId();
        return commit(store, id, payload);
    }

    static SnapshotFile commit(SnapshotStore store, String id, byte[] payload) throws IOException {
        Manifest manifest = new Manifest(Manifest.FORMAT_VERSION, id, "run-1", 1L, "test", "17", "a.Main", List.of(),
                Map.of(), List.of("a/Main"), List.of());
        SnapshotContent content = new SnapshotContent(
                List.of(new ClassStatics("a.Main", List.of("payload"), List.of(payload))), List.of());
        return store.commit(id, out -> SnapshotCodec.write(out, manifest, content));
    }

    /** Everything a resume would check, then the payload; throws if the file is not whole. */
    static byte[] payloadOf(Path file) throws IOException {
        SnapshotCodec.readManifest(file);
        SnapshotContent content = SnapshotCodec.readContent(file, PayloadSnapshots.class.getClassLoader());
        return (byte[]) content.statics().get(0).values().get(0);
    }
}
