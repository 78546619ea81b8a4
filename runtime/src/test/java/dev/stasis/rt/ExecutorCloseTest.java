package dev.stasis.rt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ExecutorService.close()} as the rewritten call makes it ({@code beginClose} once, then {@code close} until
 * it returns something other than {@code NOT_YET}) keeps the JDK's documented steps: shutdown, a wait for every
 * task, {@code shutdownNow()} once on the program's interrupt, the interrupt set again at the end; a
 * {@code ForkJoinPool} keeps its own. {@link BlockingCallsTest} covers the cut short and sliced waits. Runs on JDK
 * 17 (where no class compiled for it can call {@code close()}) and 25 alike: the helpers do not call it.
 */
class ExecutorCloseTest {
    private static final Duration PROMPTLY = Duration.ofSeconds(10);

    @AfterEach
    void lower() {
        Stasis.setPending(false);
        Thread.interrupted();
    }

    @Test
    void close_shuts_a_running_pool_down_and_waits_for_its_tasks_queued_ones_included() throws Exception {
        CountDownLatch finish = new CountDownLatch(1);
        CountDownLatch queuedRan = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        pool.execute(() -> awaitIgnoringInterrupts(finish, new AtomicInteger()));
        pool.execute(queuedRan::countDown);
        CompletableFuture<String> outcome = new CompletableFuture<>();
        Thread caller = start(() -> outcome.complete(closeAsRewritten(pool)), outcome);
        awaitBlocked(caller);

        assertThat(pool.isShutdown()).as("shut down before the wait").isTrue();
        assertThat(outcome).as("waiting for the running task").isNotDone();
        finish.countDown();

        assertThat(outcome.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS)).isEqualTo("returned null, flag false, cut short 0");
        assertThat(pool.isTerminated()).isTrue();
        assertThat(queuedRan.getCount()).as("the queued task ran: shutdown, not shutdownNow").isZero();
    }

    @Test
    void the_programs_interrupt_calls_shutdownNow_once_the_close_still_waits_and_the_interrupt_is_set_at_the_end()
            throws Exception {
        CountDownLatch finish = new CountDownLatch(1);
        AtomicInteger taskInterrupts = new AtomicInteger();
        AtomicInteger queuedRuns = new AtomicInteger();
        CountingPool pool = new CountingPool();
        pool.execute(() -> awaitIgnoringInterrupts(finish, taskInterrupts));
        pool.execute(queuedRuns::incrementAndGet);
        CompletableFuture<String> outcome = new CompletableFuture<>();
        Thread caller = start(() -> outcome.complete(closeAsRewritten(pool)), outcome);
        awaitBlocked(caller);

        caller.interrupt();
        awaitUntil(() -> taskInterrupts.get() == 1, "shutdownNow interrupted the running task");
        awaitTakenAndBlocked(caller);
        caller.interrupt(); // a second one: the JDK's close calls shutdownNow only for the first
        awaitTakenAndBlocked(caller);
        int waitsBefore = pool.awaitTerminationCalls.get();
        Stasis.setPending(true); // cut short, then 1 ms slices that come back NOT_YET: none calls shutdownNow again
        awaitUntil(() -> pool.awaitTerminationCalls.get() >= waitsBefore + 5, "the wait cut short, then sliced");
        Stasis.setPending(false);
        assertThat(outcome).as("the close waits for the running task").isNotDone();
        finish.countDown();

        assertThat(outcome.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS)).matches("returned null, flag true, cut short [1-9][0-9]*");
        assertThat(pool.shutdownNowCalls.get()).isOne();
        assertThat(taskInterrupts.get()).isOne();
        assertThat(queuedRuns.get()).as("the queued task, drained by shutdownNow").isZero();
        assertThat(pool.isTerminated()).isTrue();
    }

    @Test
    void an_interrupt_set_before_the_close_calls_shutdownNow_at_once_and_is_set_again_after() throws Exception {
        CountDownLatch finish = new CountDownLatch(1);
        AtomicInteger taskInterrupts = new AtomicInteger();
        CountingPool pool = new CountingPool();
        pool.execute(() -> awaitIgnoringInterrupts(finish, taskInterrupts));
        CompletableFuture<String> outcome = new CompletableFuture<>();
        Thread caller = start(() -> {
            Thread.currentThread().interrupt();
            outcome.complete(closeAsRewritten(pool));
        }, outcome);

        awaitUntil(() -> taskInterrupts.get() == 1, "shutdownNow interrupted the running task");
        awaitTakenAndBlocked(caller);
        finish.countDown();

        assertThat(outcome.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS)).isEqualTo("returned null, flag true, cut short 0");
        assertThat(pool.shutdownNowCalls.get()).isOne();
    }

    @Test
    void an_executor_already_terminated_is_left_alone_and_the_close_returns_at_once() {
        CountingPool pool = new CountingPool();
        pool.shutdown();
        assertThat(pool.isTerminated()).isTrue();
        Stasis.setPending(true); // no slice is needed either
        Thread.currentThread().interrupt();

        boolean[] closing = BlockingCalls.beginClose(pool);
        assertThat(BlockingCalls.close(pool, closing)).isNull();

        assertThat(Thread.currentThread().isInterrupted()).as("the flag, untouched").isTrue();
        assertThat(pool.shutdownNowCalls.get()).isZero();
        assertThat(closing[0]).isFalse();
    }

    @Test
    void the_common_pools_close_does_nothing_and_returns_at_once() throws Exception {
        CompletableFuture<String> outcome = new CompletableFuture<>();
        // Shutdown and a wait for termination would never return: the common pool never terminates.
        start(() -> outcome.complete(closeAsRewritten(ForkJoinPool.commonPool())), outcome);

        assertThat(outcome.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS)).isEqualTo("returned null, flag false, cut short 0");
        assertThat(ForkJoinPool.commonPool().isShutdown()).isFalse();
        assertThat(ForkJoinPool.commonPool().submit(() -> "still runs").get(PROMPTLY.toSeconds(), TimeUnit.SECONDS))
                .isEqualTo("still runs");
    }

    /** Its own close() may help run tasks and would take an interrupt of ours for the program's: no safepoint. */
    @Test
    void a_fork_join_pool_is_closed_by_its_own_close_which_a_checkpoint_does_not_cut_short() throws Exception {
        ForkJoinPool pool = new ForkJoinPool(1);
        CountDownLatch finish = new CountDownLatch(1);
        AtomicInteger taskInterrupts = new AtomicInteger();
        pool.execute(() -> awaitIgnoringInterrupts(finish, taskInterrupts));
        CompletableFuture<String> outcome = new CompletableFuture<>();
        Thread caller = start(() -> outcome.complete(closeAsRewritten(pool)), outcome);
        awaitBlocked(caller);

        Stasis.setPending(true);

        assertThat(outcome.completeOnTimeout("still waiting", 100, TimeUnit.MILLISECONDS)
                .get(PROMPTLY.toSeconds(), TimeUnit.SECONDS)).isEqualTo("still waiting");
        assertThat(caller.isInterrupted()).isFalse();
        assertThat(pool.isShutdown()).isTrue();
        finish.countDown();
        caller.join(PROMPTLY.toMillis());
        assertThat(caller.isAlive()).as("the close returned once the task ended").isFalse();
        assertThat(pool.isTerminated()).isTrue();
        assertThat(taskInterrupts.get()).isZero();
    }

    @Test
    void the_jdks_executors_run_jdk_code_for_close_and_an_applications_pool_keeps_its_own_call() {
        ExecutorService jdks = Executors.newFixedThreadPool(1);
        try {
            assertThat(BlockingCalls.runsJdkCode(jdks, "close()")).isTrue();
            assertThat(BlockingCalls.runsJdkCode(ForkJoinPool.commonPool(), "close()")).isTrue();
            // close() comes from an interface, not from the super class chain that runsJdkCode reads: the
            // original call stays, which may run the application's shutdown or awaitTermination overrides.
            assertThat(BlockingCalls.runsJdkCode(new CountingPool(), "close()")).isFalse();
        } finally {
            jdks.shutdown();
        }
    }

    // ---- helpers

    /** The rewritten call: the first step once, the wait again while it returns NOT_YET. */
    private static String closeAsRewritten(ExecutorService executor) {
        boolean[] closing = BlockingCalls.beginClose(executor);
        int cutShort = 0;
        Object result;
        while ((result = BlockingCalls.close(executor, closing)) == BlockingCalls.NOT_YET) {
            cutShort++;
        }
        return "returned " + result + ", flag " + Thread.currentThread().isInterrupted() + ", cut short " + cutShort;
    }

    private static void awaitIgnoringInterrupts(CountDownLatch finish, AtomicInteger interrupts) {
        while (true) {
            try {
                finish.await();
                return;
            } catch (InterruptedException e) {
                interrupts.incrementAndGet();
            }
        }
    }

    /** A JDK pool that counts its shutdownNow and awaitTermination calls. */
    private static final class CountingPool extends ThreadPoolExecutor {
        final AtomicInteger shutdownNowCalls = new AtomicInteger();
        final AtomicInteger awaitTerminationCalls = new AtomicInteger();

        CountingPool() {
            super(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        }

        @Override
        public java.util.List<Runnable> shutdownNow() {
            shutdownNowCalls.incrementAndGet();
            return super.shutdownNow();
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
            awaitTerminationCalls.incrementAndGet();
            return super.awaitTermination(timeout, unit);
        }
    }

    private interface Body {
        void run() throws Exception;
    }

    private static Thread start(Body body, CompletableFuture<?> outcome) {
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                outcome.completeExceptionally(e);
            }
        }, "closing caller");
        thread.start();
        return thread;
    }

    private static void awaitBlocked(Thread thread) {
        awaitUntil(() -> thread.getState() == Thread.State.WAITING || thread.getState() == Thread.State.TIMED_WAITING,
                thread.getName() + " blocked");
    }

    /** Blocked again with its interrupt taken (the wait threw and cleared it). */
    private static void awaitTakenAndBlocked(Thread thread) {
        awaitUntil(() -> !thread.isInterrupted()
                && (thread.getState() == Thread.State.WAITING || thread.getState() == Thread.State.TIMED_WAITING),
                thread.getName() + " took its interrupt and waits again");
    }

    private interface Condition {
        boolean holds();
    }

    /** Waits for a condition, not a fixed time. */
    private static void awaitUntil(Condition condition, String what) {
        long giveUp = System.nanoTime() + PROMPTLY.toNanos();
        while (!condition.holds()) {
            assertThat(System.nanoTime() - giveUp).as(what).isNegative();
            Thread.onSpinWait();
        }
    }
}
