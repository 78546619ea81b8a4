package dev.stasis.runtime.internal.criu;

import dev.stasis.rt.crac.CheckpointRestoreCall;
import dev.stasis.runtime.CheckpointException;
import dev.stasis.runtime.CheckpointResult;
import dev.stasis.runtime.RuntimeConfig;
import dev.stasis.runtime.StasisRuntime;
import dev.stasis.runtime.internal.lifecycle.CheckpointLifecycle;
import dev.stasis.runtime.internal.lifecycle.CheckpointRestoreCalls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The {@code criu} engine: a checkpoint is a CRIU dump of this whole process with {@code --leave-running}, into its
 * own image directory under {@code dir}; {@code java -jar stasis-agent.jar restore <dir>} brings the newest back.
 * Nothing is instrumented: CRIU saves everything (heap, JIT code, threads, open files) as the kernel sees it.
 */
public final class CriuRuntime implements StasisRuntime {
    /** The dump of several GB of RSS takes seconds; a CRIU that has not answered in minutes is stuck. */
    private static final Duration MIN_DUMP_TIMEOUT = Duration.ofMinutes(5);

    private final RuntimeConfig config;
    private final CheckpointLifecycle lifecycle = CheckpointLifecycle.global();
    private final CriuBinary criu;
    private final CriuImages images;
    private final long pid = ProcessHandle.current().pid();
    private final String runId = UUID.randomUUID().toString();
    private volatile String lastSnapshotId;
    private volatile long checkpointCount;
    private volatile long lastPauseMillis;
    private volatile long lastSnapshotBytes;
    private volatile String lastError;

    private CriuRuntime(RuntimeConfig config, CriuBinary criu, CriuImages images) {
        this.config = config;
        this.criu = criu;
        this.images = images;
    }

    /**
     * Checks that CRIU can work here and opens the snapshot directory.
     *
     * @throws CriuUnavailableException when the binary is missing, lacks privileges or fails {@code criu check}
     * @throws UncheckedIOException     when the snapshot directory cannot be used
     */
    public static CriuRuntime create(RuntimeConfig config, String criuLocation) throws CriuUnavailableException {
        CriuBinary criu = CriuBinary.locate(criuLocation);
        criu.checkUsable();
        try {
            CriuImages images = CriuImages.open(config.directory());
            images.removeAbandoned();
            CriuRuntime runtime = new CriuRuntime(config, criu, images);
            CheckpointRestoreCall.installInPlace(CheckpointRestoreCalls.inPlace(runtime));
            return runtime;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the snapshot directory " + config.directory() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * A relaunch never resumes a CRIU image (CRIU restores a process, it cannot load one into this JVM); say how
     * to restore one, so that a relaunch after a crash does not quietly start the job over unnoticed.
     */
    @Override
    public Optional<String> restoreAtStartup() {
        try {
            List<CriuImages.Image> existing = images.list();
            if (!existing.isEmpty()) {
                System.err.println("stasis: engine=criu starts this run fresh; " + existing.size() + " CRIU image(s) in "
                        + images.directory() + ", newest " + existing.get(0).id() + ": to resume it instead, stop this "
                        + "run and use: java -jar stasis-agent.jar restore " + images.directory());
            }
        } catch (IOException e) {
            System.err.println("stasis: cannot list the CRIU images in " + images.directory() + ": " + e.getMessage());
        }
        return Optional.empty();
    }

    /**
     * The {@code org.crac} resources are told before CRIU freezes the process and after it runs on, with
     * {@code jdk.crac}'s rules ({@link CheckpointLifecycle}): {@code afterRestore} in this process whether the dump
     * worked or not, and in the process {@code restore} brings back.
     */
    @Override
    public synchronized CheckpointResult checkpoint() throws CheckpointException {
        long start = System.nanoTime();
        try {
            lifecycle.beforeCheckpoint();
        } catch (CheckpointException e) {
            lastError = e.getMessage();
            throw e;
        }
        CheckpointResult result;
        try {
            result = dump(start);
        } catch (CheckpointException e) {
            lifecycle.afterCheckpoint().forEach(e::addSuppressed);
            lastError = e.getMessage();
            throw e;
        }
        if (result.restored()) {
            lifecycle.afterRestore();
        } else {
            lifecycle.afterCheckpoint();
        }
        lastError = null;
        return result;
    }


    private CheckpointResult dump(long start) throws CheckpointException {
        long id;
        Path temporary;
        try {
            id = images.nextId();
            temporary = Files.createDirectory(images.temporary(id),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            new CriuImages.ImageRecord(pid, runId).write(temporary);
        } catch (IOException e) {
            throw new CheckpointException("cannot prepare a CRIU image directory in " + images.directory() + ": "
                    + e.getMessage() + "; check that the directory is writable and has free space", e);
        }
        String name = CriuImages.name(id);
        CriuDump.Outcome outcome;
        try {
            outcome = CriuDump.run(criu, pid, temporary, images.committed(id), dumpTimeout());
        } catch (CheckpointException e) {
            throw failed(id, e);
        }
        if (outcome == CriuDump.Outcome.RESTORED) {
            return restored(name, images.committed(id));
        }
        Path committed;
        try {
            committed = images.commit(id);
        } catch (IOException e) {
            throw new CheckpointException("CRIU dumped the process but the image could not be committed as "
                    + images.committed(id) + ": " + e.getMessage(), e);
        }
        prune();
        lastSnapshotId = name;
        lastPauseMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        lastSnapshotBytes = sizeOf(committed);
        checkpointCount++;
        return new CheckpointResult(name, lastPauseMillis, lastSnapshotBytes);
    }

    /** This is the process {@code restore} brought back: the checkpoint it was taking is where it resumes. */
    private CheckpointResult restored(String name, Path image) {
        System.err.println("stasis: restored by CRIU from image " + name + " in " + images.directory());
        lastSnapshotId = name;
        // No pause to report: the clock ran on from the dump to the restore, which may be days.
        return new CheckpointResult(name, 0, sizeOf(image), true);
    }

    private CheckpointException failed(long id, CheckpointException cause) {
        String where;
        try {
            where = images.setAsideFailed(id).resolve(CriuImages.DUMP_LOG).toString();
        } catch (IOException e) {
            where = images.temporary(id).resolve(CriuImages.DUMP_LOG) + " (could not set the failed dump aside: "
                    + e.getMessage() + ")";
        }
        return new CheckpointException(cause.getMessage() + "; CRIU's log: " + where
                + "; the program runs on, the previous images are intact", cause);
    }

    private Duration dumpTimeout() {
        Duration configured = config.quiesceTimeout().multipliedBy(10);
        return configured.compareTo(MIN_DUMP_TIMEOUT) > 0 ? configured : MIN_DUMP_TIMEOUT;
    }

    /** An image is committed; failing to delete old ones must not undo that. */
    private void prune() {
        try {
            images.prune(config.keep());
        } catch (IOException | RuntimeException e) {
            System.err.println("stasis: could not delete old CRIU images in " + images.directory() + ": " + e.getMessage());
        }
    }

    private static long sizeOf(Path image) {
        try {
            return new CriuImages.Image(image.getFileName().toString(), 0, image).bytes();
        } catch (IOException | UncheckedIOException e) {
            return -1;
        }
    }

    @Override
    public void markFinished() {
        try {
            images.markFinished(runId);
        } catch (IOException | RuntimeException e) {
            System.err.println("stasis: could not mark run " + runId + " finished in " + images.directory() + ": "
                    + e.getMessage() + "; restore would bring back a run that has ended");
        }
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
    public long lastSnapshotBytes() {
        return lastSnapshotBytes;
    }

    @Override
    public String lastError() {
        return lastError;
    }

    @Override
    public Path snapshotDirectory() {
        return images.directory();
    }
}
