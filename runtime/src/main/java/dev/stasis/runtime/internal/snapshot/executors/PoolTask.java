package dev.stasis.runtime.internal.snapshot.executors;

import java.util.Objects;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * What a pool worker was doing when it was captured: the pool it works for and the task to run again on a
 * worker of the recreated pool, on a thread set to rewind the captured frames. Running {@link #task} again
 * re-enters the worker's bottom application frame first, through the same JDK code that had entered it
 * (that code is stateless up to the call: a {@code FutureTask} still {@code NEW}, a plain {@code Runnable}),
 * so a {@code Future} handed out for it completes with its result after the resume.
 *
 * @param pool the pool the worker belonged to (the same object the program holds)
 * @param task what the worker's {@code runWorker} was running, or what stands for it (see {@link AsyncTaskAgain})
 */
public record PoolTask(ThreadPoolExecutor pool, Runnable task) {
    public PoolTask {
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(task, "task");
    }
}
