package dev.stasis.runtime.internal.capture;

import dev.stasis.runtime.internal.snapshot.executors.ScheduledQueuesAtCut;
import dev.stasis.runtime.internal.snapshot.threads.JdkThreadFields;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * Whether the idle workers of the program's {@code ThreadPoolExecutor}s stay idle while a snapshot is written.
 * An idle worker waits in the JDK's {@code getTask}, runs no application code and is not captured: the pool is
 * recreated with new workers. That is consistent only if no idle worker can take a task once the cut is made.
 * With every application thread parked nobody submits, so it suffices that no task is on its way to an idle
 * worker: its pool's queue is empty, or, for a {@code SynchronousQueue} (a cached pool, where a task goes
 * straight to a waiting worker), every idle worker is still waiting unmatched. Otherwise a worker is about to
 * run a task (it will reach a poll), and the cut is tried again. A {@code ScheduledThreadPoolExecutor}'s idle
 * workers wait beside tasks not yet due, which may come due at any moment: its queue is recorded as the cut
 * leaves it ({@link ScheduledQueuesAtCut}), and a task taken after that runs only after the release. A {@code ForkJoinPool} keeps its tasks in its
 * queues until a worker takes them, so its idle workers are quiet when the pool is quiescent.
 */
final class PoolQuiet {
    private static final String WORKER = ThreadPoolExecutor.class.getName() + "$Worker";

    private PoolQuiet() {
    }

    /** Null when the idle workers cannot take a task, else what may be on its way to one. */
    static String unquiet(List<Thread> idleWorkers) {
        Map<ThreadPoolExecutor, List<Thread>> byPool = new IdentityHashMap<>();
        Map<ForkJoinPool, Thread> forkJoinPools = new IdentityHashMap<>();
        for (Thread worker : idleWorkers) {
            if (worker instanceof ForkJoinWorkerThread forkJoinWorker) {
                forkJoinPools.putIfAbsent(forkJoinWorker.getPool(), worker);
                continue;
            }
            ThreadPoolExecutor pool = poolOf(worker);
            if (pool == null) {
                return "idle pool worker " + worker.getName() + " runs under a thread factory's wrapper, so Stasis "
                        + "cannot tell which pool's tasks it may take";
            }
            byPool.computeIfAbsent(pool, absent -> new ArrayList<>()).add(worker);
        }
        for (Map.Entry<ThreadPoolExecutor, List<Thread>> pool : byPool.entrySet()) {
            if (pool.getKey() instanceof ScheduledThreadPoolExecutor scheduled) {
                ScheduledQueuesAtCut.record(scheduled); // idle beside tasks not yet due: written as queued now
                continue;
            }
            String reason = unquiet(pool.getKey().getQueue(), pool.getValue());
            if (reason != null) {
                return reason;
            }
        }
        for (Map.Entry<ForkJoinPool, Thread> pool : forkJoinPools.entrySet()) {
            if (!isQuiescent(pool.getKey())) {
                return "the ForkJoinPool of idle worker " + pool.getValue().getName() + " has work queued or running "
                        + "(a parallel stream or fork/join task): a checkpoint waits until the pool is quiescent";
            }
        }
        return null;
    }

    /** No task queued or submitted and no worker active: a fork/join task stays in a queue until a worker takes it. */
    static boolean isQuiescent(ForkJoinPool pool) {
        return !pool.hasQueuedSubmissions() && pool.getQueuedTaskCount() == 0 && pool.getActiveThreadCount() == 0;
    }

    private static String unquiet(BlockingQueue<Runnable> queue, List<Thread> idle) {
        if (queue instanceof SynchronousQueue<?> handOff) {
            Set<Thread> waiting = SynchronousQueueWaiters.unmatchedConsumers(handOff);
            if (waiting == null) {
                return "cannot read which workers wait in a SynchronousQueue on this JDK";
            }
            for (Thread worker : idle) {
                if (!waiting.contains(worker)) {
                    return "a task is being handed to pool worker " + worker.getName();
                }
            }
            return null;
        }
        return queue.isEmpty() ? null : "pool worker " + idle.get(0).getName() + " is idle while its pool has "
                + queue.size() + " queued task(s)";
    }

    /** The pool a worker thread belongs to: its task is the pool's {@code Worker}, whose outer instance is the pool. */
    static ThreadPoolExecutor poolOf(Thread worker) {
        Runnable task = JdkThreadFields.task(worker);
        if (task == null || !task.getClass().getName().equals(WORKER)) {
            return null;
        }
        try {
            Field outer = task.getClass().getDeclaredField("this$0");
            outer.setAccessible(true);
            return (ThreadPoolExecutor) outer.get(task);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
