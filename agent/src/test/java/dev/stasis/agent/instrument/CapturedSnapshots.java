package dev.stasis.agent.instrument;

import dev.stasis.rt.Frame;
import dev.stasis.runtime.internal.registry.ClassFingerprint;
import dev.stasis.runtime.internal.snapshot.ClassStatics;
import dev.stasis.runtime.internal.snapshot.Manifest;
import dev.stasis.runtime.internal.snapshot.RunEnvironment;
import dev.stasis.runtime.internal.snapshot.SnapshotCodec;
import dev.stasis.runtime.internal.snapshot.SnapshotContent;
import dev.stasis.runtime.internal.snapshot.StaticFields;
import dev.stasis.runtime.internal.snapshot.ThreadCapture;
import dev.stasis.runtime.internal.snapshot.WriteOptions;
import dev.stasis.runtime.internal.store.SnapshotStore;
import com.esotericsoftware.kryo.io.Output;
import dev.stasis.runtime.internal.snapshot.kryo.SnapshotKryoFactory;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Real snapshots for tests of the snapshot tools: a target of the {@code targets} package runs
 * instrumented in this JVM, is captured at a chosen poll by the test engine, and its frames and
 * statics are written into a store exactly as the runtime writes them.
 */
public final class CapturedSnapshots {
    /** {@code InspectTarget}: see {@link #inspectTarget}. */
    public static final String INSPECT_TARGET = InstrumentingLoader.TARGETS + "InspectTarget";

    private CapturedSnapshots() {
    }

    /** The directory holding the test classes, i.e. the targets' class path. */
    public static Path testClasses() {
        try {
            return Path.of(CapturedSnapshots.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The run's surroundings as the agent records them: the working directory, and the class path
     * relative to it (so a tool must resolve it there); one environment variable, as a digest.
     */
    public static RunEnvironment recordedEnvironment() {
        Path workingDirectory = testClasses().getParent();
        String salt = "0123456789abcdef0123456789abcdef";
        return new RunEnvironment(Map.of("user.dir", workingDirectory.toString(),
                "java.class.path", workingDirectory.relativize(testClasses()).toString()), salt,
                Map.of("STASIS_SECRET", new RunEnvironment(Map.of(), salt, Map.of()).digestOf("do-not-print")));
    }

    /** A snapshot file, and the length of the object graph it holds (its payload before any framing). */
    public record Snapshot(Path file, long payloadBytes) {
    }

    /**
     * {@code InspectTarget} stopped at the entry of {@code pause(1)} in round 1: three frames
     * ({@code run} at the call of {@code work}, {@code work} at the call of {@code pause}, and
     * {@code pause} at its entry), statics {@code counter = 2} and friends.
     */
    public static Snapshot inspectTarget(Path dir) throws Exception {
        return inspectTarget(dir, frames -> frames, WriteOptions.defaults());
    }

    /** The same, written with {@code options} (compression, a key). */
    public static Snapshot inspectTarget(Path dir, WriteOptions options) throws Exception {
        return inspectTarget(dir, frames -> frames, options);
    }

    /** The same, with the captured frames (innermost first) changed by {@code edit} before writing. */
    public static Snapshot inspectTarget(Path dir, UnaryOperator<List<Frame>> edit) throws Exception {
        return inspectTarget(dir, edit, WriteOptions.defaults());
    }

    private static Snapshot inspectTarget(Path dir, UnaryOperator<List<Frame>> edit, WriteOptions options) throws Exception {
        Rewinding.install();
        try {
            Class<?> target = Rewinding.instrumented("InspectTarget");
            String pause = INSPECT_TARGET.replace('.', '/') + ".pause(I)I";
            List<Frame> frames = captureAt(target, captured -> captured.get(0).method.equals(pause)
                    && captured.get(0).point == 0, 4);
            return write(dir, target, edit.apply(frames), options);
        } finally {
            Rewinding.uninstall();
        }
    }

    /** Runs the target, capturing at successive polls, until the {@code nth} capture that {@code wanted} accepts. */
    private static List<Frame> captureAt(Class<?> target, java.util.function.Predicate<List<Frame>> wanted, int nth)
            throws Exception {
        int seen = 0;
        for (int poll = 1; poll < 1000; poll++) {
            Rewinding.ENGINE.arm(poll, CaptureEngine.Mode.RELAUNCH);
            Rewinding.run(target);
            List<Frame> captured = Rewinding.ENGINE.captured();
            Rewinding.ENGINE.disarm();
            if (!captured.isEmpty() && wanted.test(captured) && ++seen == nth) {
                return captured;
            }
        }
        throw new IllegalStateException("the target never stopped where the test wants it");
    }

    private static Snapshot write(Path dir, Class<?> target, List<Frame> topFirst, WriteOptions options) throws Exception {
        List<Frame> bottomFirst = new ArrayList<>(topFirst);
        java.util.Collections.reverse(bottomFirst);
        String internalName = target.getName().replace('.', '/');
        Map<String, String> fingerprints = new LinkedHashMap<>();
        fingerprints.put(internalName, ClassFingerprint.of(InstrumentingLoader.readClass(
                CapturedSnapshots.class.getClassLoader(), target.getName())));
        List<ClassStatics> statics = List.of(StaticFields.capture(target));
        SnapshotContent content = new SnapshotContent(statics, List.of(new ThreadCapture("main", true, new Thread("main"), bottomFirst)));
        SnapshotStore store = SnapshotStore.open(dir);
        String id = store.newSnapshotId();
        Manifest manifest = new Manifest(Manifest.FORMAT_VERSION, id, "run-inspect", 1_795_000_000_000L, "test",
                System.getProperty("java.version"), target.getName(), List.of("--fast"), fingerprints,
                List.of(internalName), List.of("main:" + bottomFirst.size()), recordedEnvironment());
        Path file = store.commit(id, out -> SnapshotCodec.write(out, manifest, content, options)).path();
        Output payload = new Output(OutputStream.nullOutputStream());
        SnapshotKryoFactory.create(CapturedSnapshots.class.getClassLoader()).writeObject(payload, content);
        payload.flush();
        return new Snapshot(file, payload.total());
    }
}
