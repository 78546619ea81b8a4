package dev.stasis.agent.trigger;

import dev.stasis.agent.AgentLog;
import dev.stasis.runtime.CheckpointException;
import dev.stasis.runtime.NothingToCheckpointException;
import dev.stasis.runtime.StasisRuntime;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * {@code interval=...}: a checkpoint every interval, measured from the end of the previous one so
 * that a slow checkpoint never queues up behind itself. A failure is one stderr line; the next
 * attempt comes an interval later. It stops quietly once the program is over ({@code main} ended,
 * or the JVM is shutting down): a checkpoint then has nothing to save, and saying so would only
 * add noise to the program's last output.
 */
public final class IntervalTrigger implements Runnable {
    public static final String THREAD_NAME = "stasis-interval";

    private final StasisRuntime runtime;
    private final Duration interval;
    private final BooleanSupplier programRunning;

    IntervalTrigger(StasisRuntime runtime, Duration interval, BooleanSupplier programRunning) {
        this.runtime = runtime;
        this.interval = interval;
        this.programRunning = programRunning;
    }

    /** Starts the daemon thread; it never keeps the JVM alive. */
    public static Thread start(StasisRuntime runtime, Duration interval, BooleanSupplier programRunning) {
        Thread thread = new Thread(new IntervalTrigger(runtime, interval, programRunning), THREAD_NAME);
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
            if (!programRunning.getAsBoolean() || !checkpointOnce()) {
                return;
            }
        }
    }

    /** @return false when the program ended meanwhile, so the trigger should stop */
    boolean checkpointOnce() {
        try {
            runtime.checkpoint();
        } catch (NothingToCheckpointException ending) {
            return false; // the program's last thread ended: it is exiting, and there is nothing to save
        } catch (CheckpointException e) {
            return report(e.getMessage());
        } catch (RuntimeException | Error e) {
            AgentLog.debug(e);
            return report(e.toString());
        }
        return true;
    }

    private boolean report(String failure) {
        if (!programRunning.getAsBoolean()) {
            return false;
        }
        AgentLog.warn("checkpoint failed: " + failure);
        return true;
    }
}
