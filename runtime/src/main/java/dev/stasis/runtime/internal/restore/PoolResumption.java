package dev.stasis.runtime.internal.restore;

import dev.stasis.runtime.internal.capture.PortableEngine;
import dev.stasis.runtime.internal.snapshot.SnapshotContent;
import dev.stasis.runtime.internal.snapshot.ThreadCapture;
import dev.stasis.runtime.internal.snapshot.executors.PoolTask;
import dev.stasis.runtime.internal.snapshot.executors.RestoredPool;
import dev.stasis.runtime.internal.snapshot.executors.ScheduledTimes;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * Starts the restored {@code ThreadPoolExecutor}s: each task that was in flight gets a new worker of its pool
 * (whatever the pool's size rules would say now: it was running), set to rewind the captured frames from the
 * task's first entry; then each pool's core workers start for its queued tasks, and a pool that had been shut
 * down is shut down again, so it ends once its work is done, as it would have.
 */
final class PoolResumption {
    private final PortableEngine engine;
    private final PrintStream err;

    PoolResumption(PortableEngine engine, PrintStream err) {
        this.engine = engine;
        this.err = err;
    }

    /**
     * Past the point where a snapshot can be refused, after the program's clock went on: a task that cannot get a
     * worker is reported, loudly.
     */
    void start(String snapshotId, SnapshotContent content) {
        dueTimesToThisJvm(content);
        for (ThreadCapture thread : content.threads()) {
            if (thread.poolWorker()) {
                startInFlight(snapshotId, thread);
            }
        }
        for (RestoredPool restored : content.pools()) {
            if (!restored.pool().getQueue().isEmpty()) {
                restored.pool().prestartAllCoreThreads();
            }
            if (restored.shutdown()) {
                restored.pool().shutdown();
            }
        }
    }

    /** Scheduled tasks, queued or in flight, were read due on the program's clock; the pools use this JVM's. */
    private static void dueTimesToThisJvm(SnapshotContent content) {
        for (RestoredPool restored : content.pools()) {
            restored.pool().getQueue().forEach(ScheduledTimes::toThisJvm);
        }
        for (ThreadCapture thread : content.threads()) {
            if (thread.poolWorker()) {
                ScheduledTimes.toThisJvm(thread.poolTask().task());
            }
        }
    }

    /**
     * The new worker runs the same task object the captured one ran; its thread is marked to rewind before it
     * starts (through the pool's own thread factory, so it is named and configured as the pool's workers are).
     */
    private void startInFlight(String snapshotId, ThreadCapture captured) {
        PoolTask task = captured.poolTask();
        ThreadPoolExecutor pool = task.pool();
        ThreadFactory factory = pool.getThreadFactory();
        Thread[] created = new Thread[1];
        pool.setThreadFactory(runnable -> {
            Thread thread = factory.newThread(runnable);
            if (thread != null) {
                engine.rewindOnStart(thread, captured.frames());
                created[0] = thread;
            }
            return thread;
        });
        String failure;
        try {
            failure = addWorker(pool, task.task()) ? null
                    : "its thread factory returned " + (created[0] == null ? "no thread" : "a thread that did not start");
        } catch (ReflectiveOperationException | RuntimeException e) {
            failure = "ThreadPoolExecutor.addWorker failed on this JDK: " + e;
        } finally {
            pool.setThreadFactory(factory);
        }
        if (failure != null) {
            if (created[0] != null) {
                engine.cancelRewindOnStart(created[0]);
            }
            err.println("stasis: ERROR: snapshot " + snapshotId + ": the task pool worker " + captured.name()
                    + " was running could not be given a worker of its restored pool, so it does not resume: " + failure);
        }
    }

    /** {@code ThreadPoolExecutor.addWorker(task, false)}: a worker of its own, even past the core size. */
    private static boolean addWorker(ThreadPoolExecutor pool, Runnable task) throws ReflectiveOperationException {
        Method addWorker = ThreadPoolExecutor.class.getDeclaredMethod("addWorker", Runnable.class, boolean.class);
        addWorker.setAccessible(true);
        return (Boolean) addWorker.invoke(pool, task, false);
    }
}
