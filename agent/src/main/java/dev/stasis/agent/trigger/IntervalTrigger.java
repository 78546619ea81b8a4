package dev.stasis.agent.trigger;

import dev.stasis.agent.AgentLog;
import dev.stasis.runtime.CheckpointException;
import dev.stasis.runtime.StasisRuntime;

import java.time.Duration;

/**
 * {@code interval=...}: a checkpoint every interval, measured from the end of the previous one so
 * that a slow checkpoint never queues up behind itself. A failure is one stderr line; the next
 * attempt comes an interval later.
 */
public final class IntervalTrigger implements Runnable {
    public static final String THREAD_NAME = "stasis-interval";

    private final StasisRuntime runtime;
    private final Duration interval;

    IntervalTrigger(StasisRuntime runtime, Duration interval) {
        this.runtime = runtime;
        this.interval = interval;
    }

    /** Starts the daemon thread; it never keeps the JVM alive. */
    public static Thread start(StasisRuntime runtime, Duration interval) {
        Thread thread = new Thread(new IntervalTrigger(runtime, interval), THREAD_NAME);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    @Override
    public void run() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            checkpointOnce();
        }
    }

    void checkpointOnce() {
        try {
            runtime.checkpoint();
        } catch (CheckpointException e) {
            AgentLog.warn("checkpoint failed: " + e.getMessage());
        } catch (RuntimeException | Error e) {
            AgentLog.warn("checkpoint failed: " + e);
            AgentLog.debug(e);
        }
    }
}
