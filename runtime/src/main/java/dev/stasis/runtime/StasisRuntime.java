package dev.stasis.runtime;

import java.util.Optional;

/**
 * The engine as the agent sees it: created once in {@code premain}, it installs itself behind
 * {@link dev.stasis.rt.Stasis}, may resume a snapshot before {@code main} runs, and takes
 * checkpoints on request from any Stasis thread (JMX, timer, signal).
 */
public interface StasisRuntime {

    /** Creates the portable engine and installs it as {@link dev.stasis.rt.Stasis}'s engine. */
    static StasisRuntime portable(RuntimeConfig config) {
        return dev.stasis.runtime.internal.PortableRuntime.create(config);
    }

    /**
     * Called in {@code premain}, on the main thread, before the main class is loaded. Applies the
     * configured restore mode: when a snapshot is chosen it is checked, the recorded classes are
     * initialised, the statics written, the main thread set to rewind, and the line
     * {@code stasis: resumed from snapshot <id> ...} printed to stderr.
     *
     * @return the id of the resumed snapshot, or empty when the run starts fresh
     * @throws RestoreException when the chosen snapshot must not be resumed
     */
    Optional<String> restoreAtStartup() throws RestoreException;

    /**
     * Takes a checkpoint: quiesce, capture, write, commit, rewind. Blocks until done.
     *
     * @throws CheckpointException when no snapshot was committed; the application runs on
     */
    CheckpointResult checkpoint() throws CheckpointException;

    /** Marks this run finished (an orderly end), so {@code restore=auto} will not resume it. */
    void markFinished();

    String lastSnapshotId();

    long checkpointCount();

    long lastPauseMillis();

    /**
     * Of the last checkpoint's pause, the time from the request until every application thread had stopped at the
     * cut (the time to safepoint), in microseconds; -1 before the first checkpoint and for engines that have no
     * such moment (they stop the process as a whole).
     */
    default long lastQuiesceMicros() {
        return -1;
    }

    long lastSnapshotBytes();

    /** The last checkpoint error message, or null if the last checkpoint succeeded. */
    String lastError();

    java.nio.file.Path snapshotDirectory();
}
