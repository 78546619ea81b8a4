package dev.stasis.runtime.internal.capture;

import dev.stasis.rt.Frame;
import dev.stasis.rt.Stasis;
import dev.stasis.runtime.internal.registry.InstrumentedClasses;
import dev.stasis.runtime.internal.snapshot.ClassStatics;
import dev.stasis.runtime.internal.snapshot.Manifest;
import dev.stasis.runtime.internal.snapshot.RunEnvironment;
import dev.stasis.runtime.internal.snapshot.SnapshotCodec;
import dev.stasis.runtime.internal.snapshot.SnapshotContent;
import dev.stasis.runtime.internal.snapshot.SnapshotSettings;
import dev.stasis.runtime.internal.snapshot.StaticFields;
import dev.stasis.runtime.internal.snapshot.ThreadCapture;
import dev.stasis.runtime.internal.snapshot.UncapturableObjectException;
import dev.stasis.runtime.internal.snapshot.WriteOptions;
import dev.stasis.runtime.internal.store.SnapshotFile;
import dev.stasis.runtime.internal.store.SnapshotStore;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Turns the parked threads' frames and the statics of the initialised classes into a committed snapshot. */
public final class SnapshotWriter {
    /** Who wrote the snapshot, and what it ran in, as the manifest records it. */
    public record Origin(String runId, String agentVersion, String mainClass, List<String> arguments,
                         RunEnvironment environment) {
        /** An origin that records no run environment. */
        public Origin(String runId, String agentVersion, String mainClass, List<String> arguments) {
            this(runId, agentVersion, mainClass, arguments, RunEnvironment.NONE);
        }
    }

    private final SnapshotStore store;
    private final InstrumentedClasses registry;
    private final SnapshotSettings settings;

    public SnapshotWriter(SnapshotStore store, InstrumentedClasses registry) {
        this(store, registry, SnapshotSettings.plain());
    }

    /** {@code settings}: compression and signing (compress=, key=). */
    public SnapshotWriter(SnapshotStore store, InstrumentedClasses registry, SnapshotSettings settings) {
        this.store = store;
        this.registry = registry;
        this.settings = settings;
    }

    /** One parked thread, the main thread, without {@code org.crac} resources. */
    public SnapshotFile write(Origin origin, List<Class<?>> initOrder, Thread thread, List<Frame> bottomFirst)
            throws Exception {
        return write(origin, initOrder, thread, List.of(new ParkedThread(thread, bottomFirst)), List.of());
    }

    /**
     * Called while every application thread is parked: nothing in the graph changes under the writer.
     *
     * @param main      the JVM's main thread (a resume rewinds it rather than recreating it), or null
     * @param threads   the parked threads, in the order the snapshot lists them
     * @param resources the application's {@code org.crac} resources, in registration order
     */
    public SnapshotFile write(Origin origin, List<Class<?>> initOrder, Thread main, List<ParkedThread> threads,
                              List<Object> resources) throws Exception {
        // Read while the threads are parked: their clock goes on from here after a resume.
        long clockNanos = Stasis.nanoTime();
        WriteOptions options = settings.writeOptions();
        List<ClassStatics> statics = new ArrayList<>();
        List<String> initialised = new ArrayList<>();
        for (Class<?> type : restorableClasses(initOrder)) {
            ClassStatics captured;
            try {
                captured = StaticFields.capture(type);
            } catch (LinkageError failedInitialisation) {
                continue; // its initialiser threw: the class is unusable and a restore must not revive it
            }
            statics.add(captured);
            initialised.add(type.getName().replace('.', '/'));
        }
        List<ThreadCapture> captured = new ArrayList<>();
        List<String> depths = new ArrayList<>();
        for (ParkedThread parked : threads) {
            captured.add(ThreadCapture.of(parked.thread(), parked.thread() == main, parked.bottomFirst(),
                    parked.poolTask()));
            depths.add(parked.thread().getName() + ":" + parked.bottomFirst().size());
        }
        SnapshotContent content = new SnapshotContent(statics, captured, resources);
        String id = store.newSnapshotId();
        Manifest manifest = new Manifest(Manifest.FORMAT_VERSION, id, origin.runId(), System.currentTimeMillis(),
                origin.agentVersion(), System.getProperty("java.version"), origin.mainClass(), origin.arguments(),
                registry.fingerprints(), initialised, depths,
                origin.environment(), clockNanos);
        try {
            return StasisThreads.call("snapshot-writer",
                    () -> store.commit(id, out -> SnapshotCodec.write(out, manifest, content, options)));
        } catch (UncapturableObjectException e) {
            throw e; // its message already names the object and its path from a root
        } catch (IOException e) {
            throw new IOException("could not write snapshot " + id + " to " + store.directory() + ": " + reasonOf(e), e);
        }
    }

    /** NIO's messages name the file but not always the problem (a NoSuchFileException's is the path alone). */
    private static String reasonOf(IOException e) {
        if (e instanceof FileSystemException fs) {
            return fs.getFile() + (fs.getOtherFile() == null ? "" : " -> " + fs.getOtherFile()) + ": "
                    + (fs.getReason() == null ? fs.getClass().getSimpleName() : fs.getReason());
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /** Only class-path classes can be found again by a relaunched JVM; each class once. */
    private static Set<Class<?>> restorableClasses(List<Class<?>> initOrder) {
        Set<Class<?>> classes = new LinkedHashSet<>();
        for (Class<?> type : initOrder) {
            if (type.getClassLoader() == ClassLoader.getSystemClassLoader()) {
                classes.add(type);
            }
        }
        return classes;
    }
}
