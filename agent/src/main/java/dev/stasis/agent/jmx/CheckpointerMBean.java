package dev.stasis.agent.jmx;

/**
 * The management interface of {@code dev.stasis:type=Checkpointer}. Only JDK types cross it, so
 * JConsole or the {@code stasis} CLI in another JVM can use it without Stasis on their class path.
 */
public interface CheckpointerMBean {

    /**
     * Takes a checkpoint and returns the new snapshot's id. On failure throws an
     * {@link IllegalStateException} whose message says what failed; the application runs on.
     */
    String checkpoint();

    /** Id of the newest snapshot this process committed, or null. */
    String getLastSnapshotId();

    long getCheckpointCount();

    long getLastPauseMillis();

    /** Of the last pause, the time until every application thread had stopped (portable engine; else -1). */
    long getLastQuiesceMicros();

    long getLastSnapshotBytes();

    String getSnapshotDirectory();

    /** Why the last checkpoint failed, or null if it succeeded. */
    String getLastError();
}
