package dev.stasis.runtime.internal.snapshot.executors;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The queues of the program's {@code ScheduledThreadPoolExecutor}s as they were at the cut. A scheduled pool's
 * idle workers wait beside tasks that are not yet due; one that comes due while the snapshot is written is taken
 * by a worker (which then waits at its first poll for the release), so the writer must not read the queue as it is
 * then, but as the cut left it. Filled by the coordinator at the cut, read by the pool's serializer, cleared when
 * the checkpoint ends. One checkpoint at a time.
 */
public final class ScheduledQueuesAtCut {
    private static final Map<ScheduledThreadPoolExecutor, List<Runnable>> QUEUES = new ConcurrentHashMap<>();

    private ScheduledQueuesAtCut() {
    }

    public static void record(ScheduledThreadPoolExecutor pool) {
        QUEUES.put(pool, List.of(pool.getQueue().toArray(new Runnable[0])));
    }

    /** The tasks queued at the cut, or, for a pool none of whose workers was idle (so none could take one), now. */
    public static List<Runnable> of(ScheduledThreadPoolExecutor pool) {
        List<Runnable> atCut = QUEUES.get(pool);
        return atCut != null ? atCut : List.of(pool.getQueue().toArray(new Runnable[0]));
    }

    public static void clear() {
        QUEUES.clear();
    }
}
