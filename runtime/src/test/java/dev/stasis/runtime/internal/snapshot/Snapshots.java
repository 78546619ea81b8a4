package dev.stasis.runtime.internal.snapshot;

import dev.stasis.rt.Frame;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Writes and reads snapshot files the way the engine does, for tests. */
final class Snapshots {
    private Snapshots() {
    }

    static Manifest manifest() {
        return new Manifest(Manifest.FORMAT_VERSION, "000001", "run-1", 1_700_000_000_000L, "0.1.0", "17.0.15",
                "a.Main", List.of("--x", "ümlaut"), Map.of("a/Main", "abc123"), List.of("a/Main", "a/Other"),
                List.of("main:2"));
    }

    static Path write(Path file, SnapshotContent content) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            long written = SnapshotCodec.write(out, manifest(), content);
            if (written <= 0) {
                throw new AssertionError("write reported " + written + " bytes");
            }
        }
        return file;
    }

    static SnapshotContent read(Path file) throws IOException {
        SnapshotCodec.readManifest(file);
        return SnapshotCodec.readContent(file, Snapshots.class.getClassLoader());
    }

    /** A content whose only thread has one frame holding {@code refs}. */
    static SnapshotContent frameHolding(Object... refs) {
        Frame frame = new Frame("a/Main.main([Ljava/lang/String;)V", 1, 0, 0, 0, 0, refs.length);
        System.arraycopy(refs, 0, frame.refs, 0, refs.length);
        return new SnapshotContent(List.of(), List.of(CapturedThreads.main(List.of(frame))));
    }

    /** Writes {@code refs} in a frame and returns them as read back. */
    static Object[] roundTrip(Path dir, Object... refs) throws IOException {
        Path file = write(dir.resolve("round-trip-" + System.nanoTime() + ".stasis"), frameHolding(refs));
        Object[] back = read(file).threads().get(0).frames().get(0).refs;
        return Arrays.copyOf(back, back.length);
    }

    @SuppressWarnings("unchecked")
    static <T> T roundTripOne(Path dir, T value) throws IOException {
        return (T) roundTrip(dir, value)[0];
    }
}
