package dev.stasis.runtime.internal;

import dev.stasis.rt.Stasis;
import dev.stasis.rt.crac.CheckpointRestoreCall;
import dev.stasis.runtime.CheckpointException;
import dev.stasis.runtime.CheckpointResult;
import dev.stasis.runtime.RestoreException;
import dev.stasis.runtime.RuntimeConfig;
import dev.stasis.runtime.StasisRuntime;
import dev.stasis.runtime.internal.capture.ApplicationThreads;
import dev.stasis.runtime.internal.capture.CheckpointCoordinator;
import dev.stasis.runtime.internal.capture.PortableEngine;
import dev.stasis.runtime.internal.capture.SnapshotWriter;
import dev.stasis.runtime.internal.lifecycle.CheckpointLifecycle;
import dev.stasis.runtime.internal.lifecycle.CheckpointRestoreCalls;
import dev.stasis.runtime.internal.registry.InstrumentedClasses;
import dev.stasis.runtime.internal.restore.SnapshotSource;
import dev.stasis.runtime.internal.restore.StartupRestore;
import dev.stasis.runtime.internal.snapshot.RunEnvironment;
import dev.stasis.runtime.internal.snapshot.SnapshotKeyException;
import dev.stasis.runtime.internal.snapshot.SnapshotSettings;
import dev.stasis.runtime.internal.snapshot.SnapshotWarmUp;
import dev.stasis.runtime.internal.snapshot.files.OpenFiles;
import dev.stasis.runtime.internal.store.HaltAtCommitPoint;
import dev.stasis.runtime.internal.store.SnapshotFile;
import dev.stasis.runtime.internal.store.SnapshotFiles;
import dev.stasis.runtime.internal.store.SnapshotStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** The portable engine behind {@link StasisRuntime}: capture by unwinding, Kryo snapshots, restore by rewinding. */
public final class PortableRuntime implements StasisRuntime {
    private final RuntimeConfig config;
    private final SnapshotStore store;
    private final SnapshotSettings settings;
    private final PortableEngine engine;

    private final ApplicationThreads threads = ApplicationThreads.ofJvm();
    private final CheckpointCoordinator coordinator;
    private final SnapshotWriter writer;
    private final CheckpointLifecycle lifecycle = CheckpointLifecycle.global();
    private final CheckpointRestoreCalls checkpointRestoreCalls = new CheckpointRestoreCalls(
            () -> checkpointNotifying().afterRestoreFailures());
    /** The thread that runs {@code main} (it ran {@code premain} too), or null if it had ended already. */
    private final Thread mainThread;
    private volatile String runId = UUID.randomUUID().toString();
    private volatile String lastSnapshotId;
    private volatile long checkpointCount;
    private volatile long lastPauseMillis;
    private volatile long lastQuiesceMicros = -1;
    private volatile long lastSnapshotBytes;
    private volatile String lastError;
    /** Taken at the first checkpoint: a JVM's environment does not change, and a run that never checkpoints never needs it. */
    private RunEnvironment environment;

    private PortableRuntime(RuntimeConfig config, SnapshotStore store, SnapshotSettings settings, InstrumentedClasses registry) {
        this.config = config;
        this.store = store;
        this.settings = settings;
        this.engine = new PortableEngine(registry);
        this.coordinator = new CheckpointCoordinator(engine, threads);
        this.writer = new SnapshotWriter(store, registry, settings);
        this.mainThread = ApplicationThreads.mainThread();
    }

    /**
     * Checks the key file, opens the store and installs the engine. Call on the main thread ({@code premain}).
     *
     * @throws UncheckedIOException when the key file must not be used (its cause a {@link SnapshotKeyException})
     *                              or the snapshot directory cannot be opened
     */
    public static StasisRuntime create(RuntimeConfig config) {
        SnapshotSettings settings;
        try {
            settings = SnapshotSettings.load(config.compression(), config.keyFile());
        } catch (SnapshotKeyException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        SnapshotStore store;
        try {
            store = SnapshotStore.open(config.directory(), HaltAtCommitPoint.wrapIfRequested(SnapshotFiles.nio()));
        } catch (IOException e) {
            String reason = String.valueOf(e.getMessage());
            throw new UncheckedIOException("cannot open the snapshot directory " + config.directory() + ": " + reason
                    + (reason.contains("dir=") ? "" : "; choose a writable directory with dir=PATH"), e);
        }
        PortableRuntime runtime = new PortableRuntime(config, store, settings, InstrumentedClasses.global());
        Stasis.install(runtime.engine);
        CheckpointRestoreCall.install(runtime.checkpointRestoreCalls);
        return runtime;
    }

    @Override
    public Optional<String> restoreAtStartup() throws RestoreException {
        StartupRestore restore = new StartupRestore(SnapshotSource.of(store,
                settings.readOptions().withOpenFiles(OpenFiles.forResume(config.changedInputs()))), engine,
                ClassLoader.getSystemClassLoader(), System.err, config.rebind(), lifecycle);
        Optional<StartupRestore.Resumed> resumed = restore.restore(config.restore(), config.mainClass());
        resumed.ifPresent(r -> {
            runId = r.runId();
            lastSnapshotId = r.snapshotId();
            checkpointRestoreCalls.relaunched(restore.afterRestoreFailures());
        });
        if (resumed.isEmpty()) {
            // A resume has just run the codec; a fresh start has not, so its first checkpoint would pay for it.
            SnapshotWarmUp.startInBackground(settings.warmUpOptions());
        }
        return resumed.map(StartupRestore.Resumed::snapshotId);
    }

    @Override
    public CheckpointResult checkpoint() throws CheckpointException {
        return checkpointNotifying().result();
    }

    /** A checkpoint taken, and what the {@code org.crac} resources' {@code afterRestore} threw after it. */
    private record Checkpointed(CheckpointResult result, List<Throwable> afterRestoreFailures) {
    }

    /**
     * The {@code org.crac} resources are told before the program is stopped and after it runs on, whether the
     * snapshot was written or not (jdk.crac's rules, {@link CheckpointLifecycle}).
     */
    private synchronized Checkpointed checkpointNotifying() throws CheckpointException {
        try {
            lifecycle.beforeCheckpoint();
        } catch (CheckpointException e) {
            lastError = e.getMessage();
            throw e;
        }
        CheckpointResult result;
        try {
            result = capture();
        } catch (CheckpointException e) {
            lifecycle.afterCheckpoint().forEach(e::addSuppressed);
            throw e;
        }
        return new Checkpointed(result, lifecycle.afterCheckpoint());
    }

    private CheckpointResult capture() throws CheckpointException {
        if (environment == null) {
            environment = RunEnvironment.ofThisJvm();
        }
        SnapshotWriter.Origin origin = new SnapshotWriter.Origin(runId, agentVersion(), config.mainClass(),
                config.arguments(), environment);
        List<Object> resources = lifecycle.resourcesToSave();
        try {
            CheckpointCoordinator.Captured<SnapshotFile> captured = coordinator.capture(mainThread,
                    config.quiesceTimeout(), parked -> writer.write(origin, engine.initializationOrder(), mainThread,
                            parked, resources));
            SnapshotFile file = captured.result();
            prune();
            lastSnapshotId = file.id();
            lastSnapshotBytes = file.bytes();
            lastPauseMillis = TimeUnit.NANOSECONDS.toMillis(captured.pauseNanos());
            lastQuiesceMicros = TimeUnit.NANOSECONDS.toMicros(captured.quiesceNanos());
            checkpointCount++;
            lastError = null;
            return new CheckpointResult(file.id(), lastPauseMillis, file.bytes());
        } catch (CheckpointException e) {
            lastError = e.getMessage();
            throw e;
        }
    }

    /** A snapshot is committed; failing to delete old ones must not undo that. */
    private void prune() {
        try {
            store.prune(config.keep());
        } catch (IOException | RuntimeException e) {
            System.err.println("stasis: could not delete old snapshots in " + store.directory() + ": " + e.getMessage());
        }
    }

    @Override
    public void markFinished() {
        try {
            store.markFinished(runId);
        } catch (IOException | RuntimeException e) {
            System.err.println("stasis: could not mark run " + runId + " finished in " + store.directory() + ": "
                    + e.getMessage() + "; restore=auto may resume it");
        }
    }

    private static String agentVersion() {
        String version = PortableRuntime.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    @Override
    public String lastSnapshotId() {
        return lastSnapshotId;
    }

    @Override
    public long checkpointCount() {
        return checkpointCount;
    }

    @Override
    public long lastPauseMillis() {
        return lastPauseMillis;
    }

    @Override
    public long lastQuiesceMicros() {
        return lastQuiesceMicros;
    }

    @Override
    public long lastSnapshotBytes() {
        return lastSnapshotBytes;
    }

    @Override
    public String lastError() {
        return lastError;
    }

    @Override
    public Path snapshotDirectory() {
        return store.directory();
    }
}
