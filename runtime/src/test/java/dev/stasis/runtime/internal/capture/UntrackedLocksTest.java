package dev.stasis.runtime.internal.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.rt.Frame;
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/** The check at the cut: which stopped threads own a synchronizer, named with where they stopped. */
class UntrackedLocksTest {
    private static final String FRAME = "a/B.c()V";

    @Test
    void names_the_thread_the_synchronizer_and_the_method_it_stopped_in() throws Exception {
        ReentrantLock lock = new ReentrantLock();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            lock.lock();
            try {
                held.countDown();
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                lock.unlock();
            }
        }, "holder");
        holder.start();
        held.await();
        try {
            List<String> found = UntrackedLocks.heldAt(List.of(parked(holder), parked(Thread.currentThread())));

            assertThat(found).singleElement().asString()
                    .startsWith("thread holder holds java.util.concurrent.locks.ReentrantLock$NonfairSync@")
                    .endsWith(" (stopped in " + FRAME + ")");
        } finally {
            release.countDown();
            holder.join();
        }
        assertThat(UntrackedLocks.heldAt(List.of(parked(holder)))).as("a thread that ended holds nothing").isEmpty();
    }

    @Test
    void a_pool_worker_owns_its_worker_while_it_runs_a_task_and_that_is_the_jdks_not_reported() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor(task -> new Thread(task, "pool-worker"));
        AtomicReference<Thread> worker = new AtomicReference<>();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try {
            pool.submit(() -> {
                worker.set(Thread.currentThread());
                running.countDown();
                release.await();
                return null;
            });
            running.await();
            LockInfo[] owned = ManagementFactory.getThreadMXBean()
                    .getThreadInfo(new long[] {worker.get().getId()}, false, true)[0].getLockedSynchronizers();
            assertThat(owned).extracting(LockInfo::getClassName)
                    .as("what the JVM reports").containsExactly("java.util.concurrent.ThreadPoolExecutor$Worker");

            assertThat(UntrackedLocks.heldAt(List.of(parked(worker.get())))).isEmpty();
        } finally {
            release.countDown();
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static ParkedThread parked(Thread thread) {
        return new ParkedThread(thread, List.of(new Frame(FRAME, 1, 0, 0, 0, 0, 0)));
    }
}
