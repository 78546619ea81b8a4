package dev.stasis.runtime.internal.restore;

import dev.stasis.rt.Stasis;
import dev.stasis.runtime.RestoreException;
import dev.stasis.runtime.internal.capture.PortableEngine;
import dev.stasis.runtime.internal.capture.StasisThreads;
import dev.stasis.runtime.internal.lifecycle.CheckpointLifecycle;
import dev.stasis.runtime.internal.snapshot.ClassStatics;
import dev.stasis.runtime.internal.snapshot.Manifest;
import dev.stasis.runtime.internal.snapshot.SnapshotContent;
import dev.stasis.runtime.internal.snapshot.StaticFields;
import dev.stasis.runtime.internal.snapshot.ThreadCapture;
import dev.stasis.runtime.internal.snapshot.threads.ThreadLocalMaps;
import dev.stasis.runtime.internal.snapshot.threads.ThreadLocalValue;
import dev.stasis.runtime.internal.store.SnapshotFile;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Resumes a snapshot in {@code premain}, on the main thread, before the main class is loaded:
 * choose and check it, initialise its classes in the recorded order with their initialisers
 * skipped, read the graph, write the statics back, set the application's clock going on from the recorded reading, register the {@code org.crac} resources again and
 * run their {@code afterRestore}, set the main thread rewinding and start the other captured threads, each rewinding. The JVM then
 * calls {@code main}, whose entry takes the restore path.
 */
public final class StartupRestore {
    /** The snapshot resumed, and the run it belongs to (which this run continues). */
    public record Resumed(String snapshotId, String runId) {
    }

    private final SnapshotSource source;
    private final PortableEngine engine;
    private final ClassLoader loader;
    private final PrintStream err;
    private final boolean rebind;
    private final CheckpointLifecycle lifecycle;
    private List<Throwable> afterRestoreFailures = List.of();

    /** Server sockets bound again ({@code rebind=true}). */
    public StartupRestore(SnapshotSource source, PortableEngine engine, ClassLoader loader, PrintStream err) {
        this(source, engine, loader, err, true, CheckpointLifecycle.global());
    }

    /**
     * @param rebind    bind the program's server sockets to their address again, or leave them closed
     * @param lifecycle where the snapshot's {@code org.crac} resources are registered again and told of the restore
     */
    public StartupRestore(SnapshotSource source, PortableEngine engine, ClassLoader loader, PrintStream err,
                          boolean rebind, CheckpointLifecycle lifecycle) {
        this.source = source;
        this.engine = engine;
        this.loader = loader;
        this.err = err;
        this.rebind = rebind;
        this.lifecycle = lifecycle;
    }

    /** What the resources' {@code afterRestore} threw in the last resume (printed already; the program runs on). */
    public List<Throwable> afterRestoreFailures() {
        return afterRestoreFailures;
    }

    public Optional<Resumed> restore(String mode, String mainClass) throws RestoreException {
        long start = System.nanoTime();
        Optional<SnapshotChooser.Chosen> chosen = new SnapshotChooser(source, err).choose(mode);
        if (chosen.isEmpty()) {
            return Optional.empty();
        }
        Manifest manifest = chosen.get().manifest();
        String id = manifest.snapshotId();
        FingerprintCheck.verify(manifest, loader);
        checkMainClass(manifest, mainClass);
        EnvironmentCheck.differences(manifest, System.getProperties(), System.getenv()).forEach(err::println);
        SnapshotContent content;
        engine.beginReplay(manifest.initOrder().stream().map(StartupRestore::binaryName).collect(Collectors.toList()));
        try {
            initialise(id, manifest.initOrder());
            content = read(chosen.get());
            writeStatics(id, content.statics());
            ListenerRebinding.reopen(id, content.listeners(), rebind, err);
        } finally {
            engine.endReplay();
        }
        // Nothing can refuse the snapshot from here on: the application's clock goes on from the recorded
        // reading, so deadlines in its frames keep their meaning and the time it was not running does not count.
        Stasis.continueClockFrom(manifest.clockNanos());
        lifecycle.registerAgain(content.resources());
        // Before main resumes (it will rewind), as jdk.crac runs afterRestore before checkpointRestore returns.
        afterRestoreFailures = lifecycle.afterRestore();
        resumeThreads(id, content);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        int frames = content.threads().stream().mapToInt(thread -> thread.frames().size()).sum();
        err.println("stasis: resumed from snapshot " + id + " (taken " + Instant.ofEpochMilli(manifest.createdAtMillis())
                + ", " + content.threads().size() + (content.threads().size() == 1 ? " thread, " : " threads, ")
                + frames + " frames, " + chosen.get().file().bytes() + " bytes, restored in " + millis + " ms)");
        return Optional.of(new Resumed(id, manifest.runId()));
    }

    private static void checkMainClass(Manifest manifest, String mainClass) throws RestoreException {
        String recorded = manifest.mainClass();
        if (recorded != null && !recorded.isEmpty() && mainClass != null && !mainClass.isEmpty()
                && !recorded.equals(mainClass)) {
            throw new RestoreException("snapshot " + manifest.snapshotId() + " was taken from main class " + recorded
                    + ", but this JVM runs " + mainClass + ". Run " + recorded + ", or start fresh with restore=never.");
        }
    }

    /** Same order as the recorded run, so initialisers that do run (enums) see what they saw then. */
    private void initialise(String id, List<String> initOrder) throws RestoreException {
        for (String name : initOrder) {
            try {
                Class.forName(binaryName(name), true, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                throw new RestoreException("snapshot " + id + ": class " + name + " could not be initialised: " + e
                        + ". Start fresh with restore=never.", e);
            }
        }
    }

    /** On a Stasis thread: application hashCode/equals run while maps are rebuilt and must not rewind main. */
    private SnapshotContent read(SnapshotChooser.Chosen chosen) throws RestoreException {
        try {
            return StasisThreads.call("restore-reader", () -> source.readContent(chosen.file(), loader));
        } catch (IOException e) {
            throw new UnusableSnapshot(chosen.file(), e).refusedWhileRestoring(source.directory(), othersThan(chosen.file()));
        } catch (Exception | Error e) {
            throw new RestoreException("snapshot " + chosen.manifest().snapshotId() + " could not be restored ("
                    + chosen.file().path() + "): " + e, e);
        }
    }

    /** For the refusal message only: a failure to list leaves the ids out, it does not hide the refusal. */
    private List<String> othersThan(SnapshotFile chosen) {
        try {
            return SnapshotChooser.ids(source.list().stream().filter(file -> !file.id().equals(chosen.id()))
                    .collect(Collectors.toList()));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private void writeStatics(String id, List<ClassStatics> statics) throws RestoreException {
        for (ClassStatics classStatics : statics) {
            try {
                StaticFields.restore(Class.forName(binaryName(classStatics.className()), false, loader), classStatics);
            } catch (ClassNotFoundException | RuntimeException | LinkageError e) {
                throw new RestoreException("snapshot " + id + ": the static fields of " + classStatics.className()
                        + " could not be restored: " + e, e);
            }
        }
    }

    /**
     * Puts back the threads' {@code ThreadLocal} values, sets this (main) thread rewinding, or ending at its first
     * entry when {@code main} had returned, and starts every other captured thread, which rewinds from its own
     * entry. They start after {@code afterRestore}, as they were all stopped while the resources were told.
     */
    private void resumeThreads(String id, SnapshotContent content) {
        for (ThreadLocalValue value : content.threadLocals()) {
            ThreadLocalMaps.put(value.thread(), value.key(), value.value());
        }
        ThreadCapture main = content.mainThread();
        if (main != null) {
            engine.rewindCurrentThread(main.frames());
        } else {
            // Not the program's any more: named as Stasis's own, so no checkpoint waits for it to reach a poll.
            Thread.currentThread().setName(EndedMainThread.NAME);
            engine.endCurrentThreadOnEntry(new EndedMainThread());
        }
        // Pools first: a recreated thread that submits work must find the tasks that were running on their workers.
        new PoolResumption(engine, err).start(id, content);
        for (ThreadCapture thread : content.threads()) {
            if (!thread.main() && !thread.poolWorker()) {
                engine.rewindOnStart(thread.thread(), thread.frames());
                thread.thread().start();
            }
        }
    }

    private static String binaryName(String name) {
        return name.replace('/', '.');
    }
}
