package dev.stasis.runtime.internal.snapshot.executors;

import java.util.concurrent.ThreadPoolExecutor;

/**
 * A pool read back from a snapshot, without workers yet. A resume first hands each task that was in flight to
 * a new worker of its own, then starts the core workers for the queued tasks, and only then shuts the pool
 * down again if it had been shut down (a shut-down pool takes no new worker for a task).
 */
public record RestoredPool(ThreadPoolExecutor pool, boolean shutdown) {
}
