package dev.stasis.runtime.internal.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ApplicationThreadsTest {

    @Test
    void the_jdk_reference_handler_and_finalizer_are_not_application_threads() {
        assertThat(Thread.getAllStackTraces().keySet())
                .filteredOn(thread -> thread.getName().equals("Reference Handler") || thread.getName().equals("Finalizer"))
                .hasSize(2)
                .noneMatch(ApplicationThreads::isApplicationThread);
    }

    @Test
    void stasis_threads_are_not_application_threads() {
        assertThat(ApplicationThreads.isApplicationThread(new Thread(() -> { }, "stasis-snapshot-writer"))).isFalse();
    }

    @Test
    void a_thread_the_program_starts_is_an_application_thread() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        Thread worker = new Thread(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "worker-1");
        worker.start();
        try {
            assertThat(ApplicationThreads.isApplicationThread(worker)).isTrue();
            assertThat(ApplicationThreads.ofJvm().live(Thread.currentThread())).contains(worker);
        } finally {
            release.countDown();
            worker.join();
        }
    }

    @Test
    void the_main_thread_is_found_from_any_thread() throws Exception {
        Thread main = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("main"))
                .findFirst().orElseThrow();
        java.util.concurrent.CompletableFuture<Thread> found = new java.util.concurrent.CompletableFuture<>();
        Thread other = new Thread(() -> found.complete(ApplicationThreads.mainThread()), "Attach Listener-like");
        other.start();
        other.join();

        assertThat(found.get()).isSameAs(main);
    }

    @Test
    void an_idle_common_pool_worker_is_not_an_application_thread() throws Exception {
        java.util.concurrent.ForkJoinPool.commonPool().submit(() -> { }).get();
        Thread worker = null;
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            worker = Thread.getAllStackTraces().keySet().stream()
                    .filter(thread -> thread.getName().startsWith("ForkJoinPool.commonPool-worker"))
                    .filter(thread -> thread.getState() == Thread.State.WAITING || thread.getState() == Thread.State.TIMED_WAITING)
                    .findFirst().orElse(null);
            if (worker != null) {
                break;
            }
            Thread.sleep(10);
        }
        assertThat(worker).isNotNull();
        assertThat(ApplicationThreads.isApplicationThread(worker)).isFalse();
    }
}
