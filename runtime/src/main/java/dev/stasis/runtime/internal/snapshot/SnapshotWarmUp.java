package dev.stasis.runtime.internal.snapshot;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * Loads and links the snapshot write path ahead of the first checkpoint. A fresh JVM spends most of
 * its first checkpoint loading Kryo and running it in the interpreter (0.9 s for the sample job's
 * first checkpoint on a busy machine, 20-40 ms for the next ones), and that time is a pause of the
 * program: often the one that matters, on SIGTERM. Done once, in the background, at the lowest priority.
 */
public final class SnapshotWarmUp {
    private static final String THREAD_NAME = "stasis-warmup";

    private SnapshotWarmUp() {
    }

    /** Starts the daemon thread and returns at once; a failure is harmless and stays silent. */
    public static Thread startInBackground() {
        return startInBackground(WriteOptions.defaults());
    }

    /** The same, for snapshots written with {@code options} (compression, signing). */
    public static Thread startInBackground(WriteOptions options) {
        Thread thread = new Thread(() -> writeEmptySnapshot(options), THREAD_NAME);
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
        return thread;
    }

    static void writeEmptySnapshot() {
        writeEmptySnapshot(WriteOptions.defaults());
    }

    static void writeEmptySnapshot(WriteOptions options) {
        Manifest manifest = new Manifest(Manifest.FORMAT_VERSION, "warmup", "warmup", 0L, "warmup",
                System.getProperty("java.version"), "", List.of(), Map.of(), List.of(), List.of());
        try {
            SnapshotCodec.write(OutputStream.nullOutputStream(), manifest, new SnapshotContent(List.of(), List.of()), options);
        } catch (IOException | RuntimeException ignored) {
            // Only a head start: the real checkpoint will report whatever is wrong.
        }
    }
}
