package dev.stasis.runtime.internal.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executors;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Idle pool workers are left out of a cut only while no task can reach them: on JDK 17 and 25 the waiting
 * workers of a {@code SynchronousQueue} are read from its nodes, and an idle worker beside a queued task makes
 * the cut wait.
 */
class PoolQuietTest {

    @Test
    void idle_workers_of_a_cached_pool_are_read_from_the_queue_as_waiting_unmatched() throws Exception {
        ThreadPoolExecutor cached = (ThreadPoolExecutor) Executors.newCachedThreadPool();
        try {
            // Both tasks wait until both run, so the second cannot reuse the first one's worker: two workers.
            CountDownLatch bothRunning = new CountDownLatch(2);
            Runnable meet = () -> {
                bothRunning.countDown();
                try {
                    bothRunning.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            cached.execute(meet);
            cached.execute(meet);
            List<Thread> idle = awaitIdleWorkers(cached, 2);
            SynchronousQueue<?> queue = (SynchronousQueue<?>) cached.getQueue();
            assertThat(SynchronousQueueWaiters.unmatchedConsumers(queue)).containsExactlyInAnyOrderElementsOf(idle);
            assertThat(PoolQuiet.unquiet(idle)).isNull();
            assertThat(idle).allSatisfy(worker -> assertThat(PoolQuiet.poolOf(worker)).isSameAs(cached));
        } finally {
            cached.shutdownNow();
        }
    }

    /** A task that is queued but not yet due: its worker waits idle beside it, as a woken one would for a moment. */
    static final class Later implements Runnable, Delayed {
        @Override
        public void run() {
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(1, TimeUnit.HOURS);
        }

        @Override
        public int compareTo(Delayed other) {
            return 0;
        }
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void an_idle_worker_beside_a_queued_task_is_not_quiet() throws Exception {
        BlockingQueue<Runnable> queue = (BlockingQueue) new DelayQueue<Later>();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, queue);
        try {
            pool.prestartAllCoreThreads();
            List<Thread> idle = awaitIdleWorkers(pool, 1);
            assertThat(PoolQuiet.unquiet(idle)).isNull();
            queue.add(new Later());
            awaitIdleWorkers(pool, 1);
            assertThat(PoolQuiet.unquiet(idle)).contains("is idle while its pool has 1 queued task(s)");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void a_worker_running_a_task_is_no_idle_worker() throws Exception {
        ThreadPoolExecutor pool = (ThreadPoolExecutor) Executors.newFixedThreadPool(1);
        CountDownLatch release = new CountDownLatch(1);
        try {
            pool.execute(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            await(() -> pool.getActiveCount() == 1);
            Thread worker = workers().stream().filter(t -> PoolQuiet.poolOf(t) == pool).findFirst().orElseThrow();
            await(() -> worker.getState() == Thread.State.WAITING);
            assertThat(ApplicationThreads.isIdlePoolWorker(worker)).as("waiting, but in the task").isFalse();
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    private static List<Thread> awaitIdleWorkers(ThreadPoolExecutor pool, int count) throws InterruptedException {
        await(() -> idleWorkersOf(pool).size() == count);
        return idleWorkersOf(pool);
    }

    private static List<Thread> idleWorkersOf(ThreadPoolExecutor pool) {
        return workers().stream().filter(t -> PoolQuiet.poolOf(t) == pool && ApplicationThreads.isIdlePoolWorker(t))
                .toList();
    }

    private static List<Thread> workers() {
        return Thread.getAllStackTraces().keySet().stream().toList();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(5);
        }
    }
}
