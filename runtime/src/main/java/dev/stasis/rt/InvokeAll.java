package dev.stasis.rt;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code ExecutorService.invokeAll} as two steps, so that a thread waiting in it is captured at once: every task
 * is submitted once ({@link #submitAll}), and the wait for their futures is a resumable call whose list of
 * futures sits in the caller's frame; a resumed thread waits for the same futures (their tasks resume on the
 * restored pool). As the JDK's {@code AbstractExecutorService.invokeAll}: a task's failure or cancellation does
 * not end the wait, the program's interrupt cancels every task, and when a timed call's time runs out the
 * unfinished tasks are cancelled and the list returned.
 */
final class InvokeAll {
    private InvokeAll() {
    }

    /** Submits every task; if one cannot be submitted, cancels those that were and throws what the pool threw. */
    static List<Future<?>> submitAll(ExecutorService executor, Collection<?> tasks) {
        List<Future<?>> futures = new ArrayList<>(tasks.size());
        try {
            for (Object task : tasks) {
                futures.add(executor.submit((Callable<?>) task));
            }
        } catch (RuntimeException | Error e) {
            cancelAll(futures);
            throw e;
        }
        return futures;
    }

    static void cancelAll(List<Future<?>> futures) {
        for (Future<?> future : futures) {
            future.cancel(true);
        }
    }

    /** Waits up to {@code nanos} (negative: without limit) for every future; true if all are done. */
    static boolean awaitAll(List<Future<?>> futures, long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        for (Future<?> future : futures) {
            if (future.isDone()) {
                continue;
            }
            try {
                if (nanos < 0) {
                    future.get();
                } else {
                    future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                }
            } catch (ExecutionException | CancellationException finishedAnyway) {
                // done: its failure is the program's to read from the future
            } catch (TimeoutException ranOut) {
                return false;
            }
        }
        return true;
    }

    /** The wait of {@code invokeAll(tasks)}. */
    static final class AllDone extends BlockingCall {
        private final List<Future<?>> futures;

        AllDone(List<Future<?>> futures) {
            this.futures = futures;
        }

        @Override
        Object whole() throws InterruptedException {
            awaitAll(futures, -1);
            return futures;
        }

        @Override
        Object slice(long nanos) throws InterruptedException {
            return awaitAll(futures, nanos) ? futures : SLICE_RAN_OUT;
        }
    }

    /** The wait of {@code invokeAll(tasks, timeout, unit)}, its deadline on the offset clock. */
    static final class AllDoneBy extends BlockingCall {
        private final List<Future<?>> futures;
        private final long deadline;

        AllDoneBy(List<Future<?>> futures, long deadline) {
            this.futures = futures;
            this.deadline = deadline;
        }

        @Override
        Object whole() throws InterruptedException {
            if (!awaitAll(futures, Math.max(0, deadline - Stasis.nanoTime()))) {
                cancelAll(futures);
            }
            return futures;
        }

        @Override
        Object slice(long nanos) throws InterruptedException {
            if (deadline - Stasis.nanoTime() <= nanos) {
                return whole(); // the program's own deadline ends this slice
            }
            return awaitAll(futures, nanos) ? futures : SLICE_RAN_OUT;
        }
    }
}
