package bench.stasis.snapshot;

import dev.stasis.runtime.internal.snapshot.ClassStatics;
import dev.stasis.runtime.internal.snapshot.Manifest;
import dev.stasis.runtime.internal.snapshot.SnapshotCodec;
import dev.stasis.runtime.internal.snapshot.SnapshotContent;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Stasis's snapshot writer, exactly as a checkpoint calls it: the graph is the value of one
 * static field of one class, the rest of the manifest is small.
 */
final class StasisGraphCodec implements GraphCodec {
    private static final int BUFFER = 1 << 16;
    private static final String HOLDER = SampleGraph.class.getName().replace('.', '/');
    private static final String FIELD = "graph";

    @Override
    public String name() {
        return "Stasis SnapshotCodec";
    }

    @Override
    public long write(Object root, Path file) throws IOException {
        Manifest manifest = new Manifest(Manifest.FORMAT_VERSION, "bench", "bench-run", System.currentTimeMillis(),
                "bench", System.getProperty("java.version"), SampleGraph.class.getName(), List.of(), Map.of(),
                List.of(HOLDER), List.of());
        SnapshotContent content = new SnapshotContent(
                List.of(new ClassStatics(HOLDER, List.of(FIELD), List.of(root))), List.of());
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), BUFFER)) {
            return SnapshotCodec.write(out, manifest, content);
        }
    }

    @Override
    public Object read(Path file) throws IOException {
        SnapshotCodec.readManifest(file);
        SnapshotContent content = SnapshotCodec.readContent(file, StasisGraphCodec.class.getClassLoader());
        return content.statics().get(0).values().get(0);
    }
}
