package dev.stasis.rt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Exchanger;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Phaser;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every helper instrumented code calls instead of a blocking call: a thread blocked in it returns
 * {@link BlockingCalls#NOT_YET} as soon as a checkpoint becomes pending, with no interrupt left and nothing
 * taken, put, acquired or counted; the call made again afterwards completes as the original would; the
 * program's own interrupt throws as before; a timed call keeps its deadline.
 */
class BlockingCallsTest {
    private static final long LONG_WAIT = TimeUnit.SECONDS.toNanos(30);
    /** How long a test waits for what must happen at once; far shorter than {@link #LONG_WAIT}. */
    private static final Duration PROMPTLY = Duration.ofSeconds(10);

    @AfterEach
    void lowerAndResetClock() {
        Stasis.setPending(false);
        Stasis.continueClockFrom(System.nanoTime());
        Thread.interrupted();
    }

    /** One primitive with a helper call that blocks until {@link #release()} lets it complete. */
    interface Blocked {
        /** The helper call, as the rewritten code makes it. */
        Object call() throws Exception;

        /** What a call cut short must leave as it was: elements, permits, count, phase ... */
        String state();

        /** The other side does its part, so that the call completes. */
        void release() throws Exception;

        /** The call's result and the state once the call completed. */
        String completed();

        /** The program's interrupt ends it ({@code acquireUninterruptibly} and {@code awaitAdvance}: no). */
        default boolean interruptible() {
            return true;
        }

        /** The state once the program's interrupt ended the call: as before, except where the JDK's call undoes work. */
        default String stateAfterInterrupt(String before) {
            return before;
        }
    }

    static Stream<Arguments> primitives() {
        return Stream.of(
                named("take", () -> new OnQueue(new LinkedBlockingQueue<>(), "x | []") {
                    @Override
                    public Object call() throws Exception {
                        return BlockingCalls.take(queue);
                    }
                }),
                named("takeFirst", () -> new OnDeque("a | [b]") {
                    @Override
                    public Object call() throws Exception {
                        return BlockingCalls.takeFirst(deque);
                    }
                }),
                named("takeLast", () -> new OnDeque("b | [a]") {
                    @Override
                    public Object call() throws Exception {
                        return BlockingCalls.takeLast(deque);
                    }
                }),
                named("poll(timeout)", () -> new OnQueue(new LinkedBlockingQueue<>(), "x | []") {
                    private final long deadline = farDeadline();

                    @Override
                    public Object call() throws Exception {
                        return BlockingCalls.poll(queue, deadline);
                    }
                }),
                named("pollFirst(timeout)", () -> new OnDeque("a | [b]") {
                    private final long deadline = farDeadline();

                    @Override
                    public Object call() throws Exception {
                        return BlockingCalls.pollFirst(deque, deadline);
                    }
                }),
                named("pollLast(timeout)", () -> new OnDeque("b | [a]") {
                    private final long deadline = farDeadline();

                    @Override
                    public Object call() throws Exception {
                        return BlockingCalls.pollLast(deque, deadline);
                    }
                }),
                named("put", () -> new OnFullQueue("null | [b]") {
                    @Override
                    public Object call() throws Exception {
                        return BlockingCalls.put(queue, "b");
                    }
                }),
                named("putFirst", () -> new OnFullDeque("null | [b]") {
                    @Override
                    public Object call() throws Exception {
                        return BlockingCalls.putFirst(deque, "b");
                    }
                }),
                named("putLast", () -> new OnFullDeque("null | [b]") {
                    @Override
                    public Object call() throws Exception {
                        return BlockingCalls.putLast(deque, "b");
                    }
                }),
                named("offer(timeout)", () -> new OnFullQueue("true | [b]") {
                    private final long deadline = farDeadline();

                    @Override
                    public Object call() throws Exception {
                        return BlockingCalls.offer(queue, "b", deadline);
                    }
                }),
                named("offerFirst(timeout)", () -> new OnFullDeque("true | [b]") {
                    private final long deadline = farDeadline();

                    @Override
                    public Object call() throws Exception {
                        return BlockingCalls.offerFirst(deque, "b", deadline);
                    }
                }),
                named("offerLast(timeout)", () -> new OnFullDeque("true | [b]") {
                    private final long deadline = farDeadline();

                    @Override
                    public Object call() throws Exception {
                        return BlockingCalls.offerLast(deque, "b", deadline);
                    }
                }),
                named("CountDownLatch.await", () -> new OnLatch("null | count 0") {
                    @Override
                    public Object call() throws Exception {
                        return BlockingCalls.await(latch);
                    }
                }),
                named("CountDownLatch.await(timeout)", () -> new OnLatch("true | count 0") {
                    private final long deadline = farDeadline();

                    @Override
                    public Object call() throws Exception {
                        return BlockingCalls.await(latch, deadline);
                    }
                }),
                named("Semaphore.acquire", () -> new OnSemaphore(0, "null | permits 0") {
                    @Override
                    public Object call() throws Exception {
                        return BlockingCalls.acquire(semaphore);
                    }
                }),
                named("Semaphore.acquire(2) with 1 free", () -> new OnSemaphore(1, "null | permits 0") {
                    @Override
                    public Object call() throws Exception {
                        return BlockingCalls.acquire(semaphore, 2);
                    }
                }),
                named("Semaphore.acquireUninterruptibly", () -> new OnSemaphore(0, "null | permits 0") {
                    @Override
                    public Object call() {
                        return BlockingCalls.acquireUninterruptibly(semaphore);
                    }

                    @Override
                    public boolean interruptible() {
                        return false;
                    }
                }),
                named("Semaphore.acquireUninterruptibly(2) with 1 free", () -> new OnSemaphore(1, "null | permits 0") {
                    @Override
                    public Object call() {
                        return BlockingCalls.acquireUninterruptibly(semaphore, 2);
                    }

                    @Override
                    public boolean interruptible() {
                        return false;
                    }
                }),
                named("Semaphore.tryAcquire(timeout)", () -> new OnSemaphore(0, "true | permits 0") {
                    private final long deadline = farDeadline();

                    @Override
                    public Object call() throws Exception {
                        return BlockingCalls.tryAcquire(semaphore, deadline);
                    }
                }),
                named("Semaphore.tryAcquire(2, timeout) with 1 free", () -> new OnSemaphore(1, "true | permits 0") {
                    private final long deadline = farDeadline();

                    @Override
                    public Object call() throws Exception {
                        return BlockingCalls.tryAcquire(semaphore, 2, deadline);
                    }
                }),
                named("Future.get", () -> new OnFuture() {
                    @Override
                    public Object call() throws Exception {
                        return BlockingCalls.get(task);
                    }
                }),
                named("Future.get(timeout)", () -> new OnFuture() {
                    private final long deadline = farDeadline();

                    @Override
                    public Object call() throws Exception {
                        return BlockingCalls.get(task, deadline);
                    }
                }),
                named("CompletableFuture.get", () -> new OnCompletableFuture()),
                named("ExecutorService.awaitTermination", () -> new OnExecutor()),
                named("ExecutorService.close", () -> new OnClosing()),
                named("ExecutorService.invokeAll", () -> new OnInvokeAll() {
                    @Override
                    public Object call() throws Exception {
                        return BlockingCalls.invokeAll(executor, tasks, submitted);
                    }
                }),
                named("ExecutorService.invokeAll(timeout)", () -> new OnInvokeAll() {
                    private final long deadline = farDeadline();

                    @Override
                    public Object call() throws Exception {
                        return BlockingCalls.invokeAll(executor, tasks, deadline, submitted);
                    }
                }),
                named("CompletionService.take", () -> new OnCompletionService() {
                    @Override
                    public Object call() throws Exception {
                        return BlockingCalls.take(service);
                    }
                }),
                named("CompletionService.poll(timeout)", () -> new OnCompletionService() {
                    private final long deadline = farDeadline();

                    @Override
                    public Object call() throws Exception {
                        return BlockingCalls.poll(service, deadline);
                    }
                }),
                named("Exchanger.exchange", () -> new OnExchanger() {
                    @Override
                    public Object call() throws Exception {
                        return BlockingCalls.exchange(exchanger, "mine");
                    }
                }),
                named("Exchanger.exchange(timeout)", () -> new OnExchanger() {
                    private final long deadline = farDeadline();

                    @Override
                    public Object call() throws Exception {
                        return BlockingCalls.exchange(exchanger, "mine", deadline);
                    }
                }),
                named("Phaser.awaitAdvance", () -> new OnPhaser() {
                    @Override
                    public Object call() {
                        return BlockingCalls.awaitAdvance(phaser, 0);
                    }

                    @Override
                    public boolean interruptible() {
                        return false;
                    }
                }),
                named("Phaser.awaitAdvanceInterruptibly", () -> new OnPhaser() {
                    @Override
                    public Object call() throws Exception {
                        return BlockingCalls.awaitAdvanceInterruptibly(phaser, 0);
                    }
                }),
                named("Phaser.awaitAdvanceInterruptibly(timeout)", () -> new OnPhaser() {
                    private final long deadline = farDeadline();

                    @Override
                    public Object call() throws Exception {
                        return BlockingCalls.awaitAdvanceInterruptibly(phaser, 0, deadline);
                    }
                }),
                named("Thread.join", () -> new OnThread("null | ended") {
                    @Override
                    public Object call() throws Exception {
                        return BlockingCalls.join(thread);
                    }
                }),
                named("Thread.join(0) waits forever", () -> new OnThread("null | ended") {
                    private final long deadline = BlockingCalls.joinDeadline(0);

                    @Override
                    public Object call() throws Exception {
                        return BlockingCalls.join(thread, 0, deadline);
                    }
                }),
                named("Thread.join(millis)", () -> new OnThread("true | ended") {
                    private final long deadline = BlockingCalls.joinDeadline(30_000);

                    @Override
                    public Object call() throws Exception {
                        return BlockingCalls.join(thread, 30_000, deadline);
                    }
                }),
                named("Thread.join(millis, nanos)", () -> new OnThread("true | ended") {
                    private final long deadline = BlockingCalls.joinDeadline(30_000, 5);

                    @Override
                    public Object call() throws Exception {
                        return BlockingCalls.join(thread, 30_000, 5, deadline);
                    }
                }),
                named("Thread.join(Duration)", () -> new OnThread("true | ended") {
                    private final long deadline = BlockingCalls.deadline(Duration.ofSeconds(30));

                    @Override
                    public Object call() throws Exception {
                        return BlockingCalls.join(thread, deadline);
                    }
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("primitives")
    void a_blocked_call_is_cut_short_by_a_pending_checkpoint_changing_nothing_and_completes_when_made_again(
            Supplier<Blocked> primitive) throws Exception {
        Blocked blocked = primitive.get();
        String before = blocked.state();
        CompletableFuture<Object[]> outcome = new CompletableFuture<>();
        Thread caller = start(() -> outcome.complete(new Object[] {blocked.call(), Thread.currentThread().isInterrupted()}),
                outcome);
        awaitBlocked(caller);

        Stasis.setPending(true);

        Object[] cut = outcome.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS);
        assertThat(cut[0]).as("the call's result").isSameAs(BlockingCalls.NOT_YET);
        assertThat(cut[1]).as("an interrupt left set").isEqualTo(false);
        assertThat(blocked.state()).as("what the call was waiting for").isEqualTo(before);

        Stasis.setPending(false);
        blocked.release();
        Object result = blocked.call();
        assertThat(shown(result) + " | " + blocked.state()).isEqualTo(blocked.completed());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("primitives")
    void while_a_checkpoint_stays_pending_for_another_thread_a_call_waits_a_slice_and_still_completes(
            Supplier<Blocked> primitive) throws Exception {
        Blocked blocked = primitive.get();
        String before = blocked.state();
        Stasis.setPending(true);

        assertThat(blocked.call()).isSameAs(BlockingCalls.NOT_YET);
        assertThat(blocked.state()).isEqualTo(before);

        blocked.release();
        Object result = awaitResult(blocked);
        assertThat(shown(result) + " | " + blocked.state()).isEqualTo(blocked.completed());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("primitives")
    void the_programs_interrupt_ends_the_call_as_before_or_stays_set_where_it_never_did(Supplier<Blocked> primitive)
            throws Exception {
        Blocked blocked = primitive.get();
        String before = blocked.state();
        CompletableFuture<String> outcome = new CompletableFuture<>();
        Thread caller = start(() -> {
            try {
                Object result = blocked.call();
                outcome.complete("returned " + result + ", flag " + Thread.currentThread().isInterrupted());
            } catch (InterruptedException e) {
                outcome.complete("interrupted, flag " + Thread.currentThread().isInterrupted());
            }
        }, outcome);
        awaitBlocked(caller);

        caller.interrupt();

        if (blocked.interruptible()) {
            assertThat(outcome.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS)).isEqualTo("interrupted, flag false");
            assertThat(blocked.state()).isEqualTo(blocked.stateAfterInterrupt(before));
            blocked.release(); // lets helper threads of the primitive end
        } else {
            awaitBlocked(caller); // woken by the interrupt, it waits again
            assertThat(outcome).isNotDone();
            blocked.release();
            assertThat(outcome.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS)).endsWith(", flag true");
        }
    }

    @Test
    void a_timed_invoke_all_whose_time_runs_out_returns_its_futures_with_the_unfinished_ones_cancelled() throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(2);
        CountDownLatch never = new CountDownLatch(1);
        try {
            java.util.List<java.util.concurrent.Callable<String>> tasks = java.util.List.of(() -> "quick", () -> {
                never.await();
                return "never";
            });
            java.util.List<java.util.concurrent.Future<?>> submitted = BlockingCalls.submitAll(executor, tasks);

            Object result = BlockingCalls.invokeAll(executor, tasks, BlockingCalls.deadline(100, TimeUnit.MILLISECONDS),
                    submitted);

            assertThat(result).isSameAs(submitted);
            assertThat(submitted.get(0).get()).isEqualTo("quick");
            assertThat(submitted.get(1).isCancelled()).as("the task still running when the time ran out").isTrue();
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void a_timed_poll_cut_short_keeps_its_deadline_and_after_a_relaunch_waits_only_what_was_left() throws Exception {
        LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
        long deadline = BlockingCalls.deadline(30, TimeUnit.SECONDS);
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        Thread caller = start(() -> outcome.complete(BlockingCalls.poll(queue, deadline)), outcome);
        awaitBlocked(caller);
        Stasis.setPending(true);
        assertThat(outcome.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS)).isSameAs(BlockingCalls.NOT_YET);
        Stasis.setPending(false);

        // A relaunch whose clock goes on 50 ms before the deadline: the poll waits those 50 ms, not 30 s.
        Stasis.continueClockFrom(deadline - TimeUnit.MILLISECONDS.toNanos(50));
        Object result = BlockingCalls.poll(queue, deadline);

        assertThat(result).as("timed out, as poll does").isNull();
        assertThat(Stasis.nanoTime() - deadline).as("not before its deadline").isNotNegative();
    }

    @Test
    void timed_calls_past_their_deadline_give_the_timed_out_result_of_the_call() throws Exception {
        long passed = Stasis.nanoTime() - 1;
        Semaphore none = new Semaphore(0);

        assertThat(BlockingCalls.tryAcquire(none, passed)).isEqualTo(false);
        assertThat(BlockingCalls.offer(new ArrayBlockingQueue<>(1, false, List.of("a")), "b", passed)).isEqualTo(false);
        assertThat(BlockingCalls.await(new CountDownLatch(1), passed)).isEqualTo(false);
        assertThatThrownBy(() -> BlockingCalls.get(new CompletableFuture<>(), passed)).isInstanceOf(TimeoutException.class);
        assertThatThrownBy(() -> BlockingCalls.exchange(new Exchanger<>(), "x", passed))
                .isInstanceOf(TimeoutException.class);
        assertThatThrownBy(() -> BlockingCalls.awaitAdvanceInterruptibly(new Phaser(1), 0, passed))
                .isInstanceOf(TimeoutException.class);
        Thread unstarted = new Thread("never started");
        assertThatThrownBy(() -> BlockingCalls.join(unstarted, passed)).isInstanceOf(IllegalThreadStateException.class);

        Stasis.setPending(true); // the same while a checkpoint is pending: the deadline, not the slice, ran out
        assertThat(BlockingCalls.tryAcquire(none, passed)).isEqualTo(false);
        assertThatThrownBy(() -> BlockingCalls.get(new CompletableFuture<>(), passed)).isInstanceOf(TimeoutException.class);
    }

    @Test
    void a_future_completed_with_null_gives_null_not_a_slice_that_ran_out() throws Exception {
        Stasis.setPending(true);
        assertThat(BlockingCalls.get(CompletableFuture.completedFuture(null), farDeadline())).isNull();
        assertThat(BlockingCalls.get(CompletableFuture.completedFuture(null))).isNull();
    }

    @Test
    void deadlines_reject_what_the_calls_reject_and_do_not_wrap_round() {
        assertThatThrownBy(() -> BlockingCalls.joinDeadline(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("timeout value is negative");
        assertThatThrownBy(() -> BlockingCalls.joinDeadline(1, 1_000_000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nanosecond timeout value out of range");
        assertThatThrownBy(() -> BlockingCalls.deadline(1, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> BlockingCalls.deadline(null)).isInstanceOf(NullPointerException.class);

        assertThat(BlockingCalls.deadline(Long.MIN_VALUE, TimeUnit.DAYS) - Stasis.nanoTime()).as("a negative wait is none")
                .isLessThanOrEqualTo(0).isGreaterThan(-PROMPTLY.toNanos());
        assertThat(BlockingCalls.deadline(Long.MAX_VALUE, TimeUnit.DAYS) - Stasis.nanoTime())
                .as("the longest wait, not a wait in the past").isGreaterThan(TimeUnit.DAYS.toNanos(365));
    }

    @Test
    void a_put_into_a_synchronous_queue_cut_short_hands_nothing_over() throws Exception {
        SynchronousQueue<String> queue = new SynchronousQueue<>();
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        Thread caller = start(() -> outcome.complete(BlockingCalls.put(queue, "x")), outcome);
        awaitBlocked(caller);

        Stasis.setPending(true);

        assertThat(outcome.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS)).isSameAs(BlockingCalls.NOT_YET);
        Stasis.setPending(false);
        assertThat(queue.poll(10, TimeUnit.MILLISECONDS)).as("an element left behind").isNull();
    }

    @Test
    void an_exchange_cut_short_leaves_nothing_for_a_partner() throws Exception {
        Exchanger<Object> exchanger = new Exchanger<>();
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        Thread caller = start(() -> outcome.complete(BlockingCalls.exchange(exchanger, "mine")), outcome);
        awaitBlocked(caller);

        Stasis.setPending(true);

        assertThat(outcome.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS)).isSameAs(BlockingCalls.NOT_YET);
        Stasis.setPending(false);
        assertThatThrownBy(() -> exchanger.exchange("partner's", 20, TimeUnit.MILLISECONDS))
                .as("a partner finds no one waiting").isInstanceOf(TimeoutException.class);
    }

    @Test
    void arrive_then_a_resumable_wait_is_arriveAndAwaitAdvance() throws Exception {
        Phaser phaser = new Phaser(2);
        int phase = BlockingCalls.arrive(phaser);
        assertThat(phase).isZero();
        assertThat(phaser.getArrivedParties()).isOne();

        Stasis.setPending(true);
        assertThat(BlockingCalls.awaitAdvance(phaser, phase)).isSameAs(BlockingCalls.NOT_YET);
        assertThat(phaser.getArrivedParties()).as("the wait does not arrive again").isOne();
        Stasis.setPending(false);

        phaser.arrive();
        assertThat(BlockingCalls.awaitAdvance(phaser, phase)).isEqualTo(1);
    }

    /** A fork/join task's get may run other tasks in the caller: an interrupt of ours must not reach them. */
    @Test
    void a_fork_join_tasks_get_is_made_as_it_was_and_not_interrupted_for_a_checkpoint() throws Exception {
        ForkJoinTask<String> task = ForkJoinTask.adapt(() -> "value");
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        Thread caller = start(() -> outcome.complete(BlockingCalls.get(task)), outcome);
        awaitBlocked(caller);

        Stasis.setPending(true);

        assertThat(outcome.completeOnTimeout("still waiting", 100, TimeUnit.MILLISECONDS)
                .get(PROMPTLY.toSeconds(), TimeUnit.SECONDS)).isEqualTo("still waiting");
        assertThat(caller.isInterrupted()).isFalse();
        task.invoke();
        caller.join(PROMPTLY.toMillis());
        assertThat(caller.isAlive()).as("the get returned once the task ran").isFalse();
    }

    @Test
    void an_application_override_is_not_jdk_code_but_inherited_jdk_methods_are() {
        LinkedBlockingQueue<String> overriding = new LinkedBlockingQueue<>() {
            @Override
            public String take() throws InterruptedException {
                return super.take();
            }
        };
        Phaser withOnAdvance = new Phaser() {
            @Override
            protected boolean onAdvance(int phase, int registeredParties) {
                return false;
            }
        };

        assertThat(BlockingCalls.runsJdkCode(new LinkedBlockingQueue<>(), "take()")).isTrue();
        assertThat(BlockingCalls.runsJdkCode(overriding, "take()")).isFalse();
        assertThat(BlockingCalls.runsJdkCode(overriding, "poll(JLjava/util/concurrent/TimeUnit;)")).isTrue();
        assertThat(BlockingCalls.runsJdkCode(withOnAdvance, "arriveAndAwaitAdvance()")).isTrue();
        assertThat(BlockingCalls.runsJdkCode(null, "take()")).as("the original call throws").isFalse();
    }

    // ---- the primitives

    private abstract static class OnQueue implements Blocked {
        final LinkedBlockingQueue<String> queue;
        private final String completed;

        OnQueue(LinkedBlockingQueue<String> queue, String completed) {
            this.queue = queue;
            this.completed = completed;
        }

        @Override
        public String state() {
            return queue.toString();
        }

        @Override
        public void release() {
            queue.add("x");
        }

        @Override
        public String completed() {
            return completed;
        }
    }

    private abstract static class OnDeque implements Blocked {
        final LinkedBlockingDeque<String> deque = new LinkedBlockingDeque<>();
        private final String completed;

        OnDeque(String completed) {
            this.completed = completed;
        }

        @Override
        public String state() {
            return deque.toString();
        }

        @Override
        public void release() {
            deque.addLast("a");
            deque.addLast("b");
        }

        @Override
        public String completed() {
            return completed;
        }
    }

    private abstract static class OnFullQueue implements Blocked {
        final ArrayBlockingQueue<String> queue = new ArrayBlockingQueue<>(1, false, List.of("a"));
        private final String completed;

        OnFullQueue(String completed) {
            this.completed = completed;
        }

        @Override
        public String state() {
            return queue.toString();
        }

        @Override
        public void release() {
            queue.remove("a");
        }

        @Override
        public String completed() {
            return completed;
        }
    }

    private abstract static class OnFullDeque implements Blocked {
        final LinkedBlockingDeque<String> deque = new LinkedBlockingDeque<>(1);
        private final String completed;

        OnFullDeque(String completed) {
            this.completed = completed;
            deque.add("a");
        }

        @Override
        public String state() {
            return deque.toString();
        }

        @Override
        public void release() {
            deque.remove("a");
        }

        @Override
        public String completed() {
            return completed;
        }
    }

    private abstract static class OnLatch implements Blocked {
        final CountDownLatch latch = new CountDownLatch(1);
        private final String completed;

        OnLatch(String completed) {
            this.completed = completed;
        }

        @Override
        public String state() {
            return "count " + latch.getCount();
        }

        @Override
        public void release() {
            latch.countDown();
        }

        @Override
        public String completed() {
            return completed;
        }
    }

    private abstract static class OnSemaphore implements Blocked {
        final Semaphore semaphore;
        private final String completed;

        OnSemaphore(int permits, String completed) {
            this.semaphore = new Semaphore(permits);
            this.completed = completed;
        }

        @Override
        public String state() {
            return "permits " + semaphore.availablePermits();
        }

        @Override
        public void release() {
            semaphore.release();
        }

        @Override
        public String completed() {
            return completed;
        }
    }

    private abstract static class OnFuture implements Blocked {
        final FutureTask<String> task = new FutureTask<>(() -> "value");

        @Override
        public String state() {
            return "done " + task.isDone();
        }

        @Override
        public void release() {
            task.run();
        }

        @Override
        public String completed() {
            return "value | done true";
        }
    }

    private static final class OnCompletableFuture implements Blocked {
        private final CompletableFuture<String> future = new CompletableFuture<>();

        @Override
        public Object call() throws Exception {
            return BlockingCalls.get(future);
        }

        @Override
        public String state() {
            return "done " + future.isDone();
        }

        @Override
        public void release() {
            future.complete("value");
        }

        @Override
        public String completed() {
            return "value | done true";
        }
    }

    private static final class OnExecutor implements Blocked {
        private final CountDownLatch finish = new CountDownLatch(1);
        private final ExecutorService executor = Executors.newSingleThreadExecutor();
        private final long deadline = farDeadline();

        OnExecutor() {
            executor.execute(() -> {
                try {
                    finish.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            executor.shutdown();
        }

        @Override
        public Object call() throws Exception {
            return BlockingCalls.awaitTermination(executor, deadline);
        }

        @Override
        public String state() {
            return "terminated " + executor.isTerminated();
        }

        @Override
        public void release() {
            finish.countDown();
        }

        @Override
        public String completed() {
            return "true | terminated true";
        }
    }

    /**
     * A pool whose one task runs until released, whatever interrupts it, closed as the rewritten {@code close()}
     * does: {@code beginClose} (its {@code shutdown()}) once, then the wait. The program's interrupt does not end
     * the wait (it calls {@code shutdownNow()}, which this task ignores), and is set again when it returns.
     */
    private static final class OnClosing implements Blocked {
        private final CountDownLatch finish = new CountDownLatch(1);
        private final ExecutorService executor = Executors.newSingleThreadExecutor();
        private final boolean[] closing;

        OnClosing() {
            executor.execute(() -> {
                while (true) {
                    try {
                        finish.await();
                        return;
                    } catch (InterruptedException ignored) {
                        // runs on until released, so that the close goes on waiting for it
                    }
                }
            });
            closing = BlockingCalls.beginClose(executor);
        }

        @Override
        public Object call() {
            return BlockingCalls.close(executor, closing);
        }

        @Override
        public String state() {
            return "shutdown " + executor.isShutdown() + ", terminated " + executor.isTerminated();
        }

        @Override
        public void release() {
            finish.countDown();
        }

        @Override
        public String completed() {
            return "null | shutdown true, terminated true";
        }

        @Override
        public boolean interruptible() {
            return false;
        }
    }

    /**
     * Two tasks submitted once, as the rewritten {@code invokeAll} does before its wait: one done at once, one
     * only once released; a wait cut short changes nothing (no task submitted again, none cancelled).
     */
    private abstract static class OnInvokeAll implements Blocked {
        private final CountDownLatch finish = new CountDownLatch(1);
        final ExecutorService executor = Executors.newFixedThreadPool(2);
        final java.util.List<java.util.concurrent.Callable<String>> tasks = java.util.List.of(() -> "quick", () -> {
            finish.await();
            return "slow";
        });
        final java.util.List<java.util.concurrent.Future<?>> submitted = BlockingCalls.submitAll(executor, tasks);

        @Override
        public String state() {
            // The quick task may end at any moment: only the slow one says whether the wait changed anything.
            return submitted.size() + " submitted, slow done " + submitted.get(1).isDone() + ", cancelled "
                    + submitted.stream().anyMatch(java.util.concurrent.Future::isCancelled);
        }

        /** As {@code AbstractExecutorService.invokeAll}: the program's interrupt cancels every task. */
        @Override
        public String stateAfterInterrupt(String before) {
            return "2 submitted, slow done true, cancelled true";
        }

        @Override
        public void release() {
            finish.countDown();
        }

        @Override
        public String completed() {
            executor.shutdown();
            return "[quick, slow] | 2 submitted, slow done true, cancelled false";
        }
    }

    /** A task submitted to an executor that runs it only once released; the call's result is its future. */
    private abstract static class OnCompletionService implements Blocked {
        private final List<Runnable> held = new java.util.concurrent.CopyOnWriteArrayList<>();
        final ExecutorCompletionService<String> service = new ExecutorCompletionService<>(held::add);

        OnCompletionService() {
            service.submit(() -> "value");
        }

        @Override
        public String state() {
            return "held " + held.size();
        }

        @Override
        public void release() {
            held.forEach(Runnable::run);
            held.clear();
        }

        @Override
        public String completed() {
            return "value | held 0";
        }
    }

    /** The partner exchanges from its own thread once released; what it received is part of the state. */
    private abstract static class OnExchanger implements Blocked {
        final Exchanger<Object> exchanger = new Exchanger<>();
        private final CompletableFuture<Object> partnerGot = new CompletableFuture<>();

        private volatile boolean released;

        /** Once released, what the partner got as soon as its exchange returned. */
        @Override
        public String state() {
            try {
                return "partner got " + (released ? partnerGot.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS) : "nothing");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public void release() {
            released = true;
            Thread partner = new Thread(() -> {
                try {
                    partnerGot.complete(exchanger.exchange("partner's", PROMPTLY.toSeconds(), TimeUnit.SECONDS));
                } catch (Exception e) {
                    partnerGot.completeExceptionally(e);
                }
            }, "exchange partner");
            partner.start();
        }

        @Override
        public String completed() {
            return "partner's | partner got mine";
        }
    }

    /** Two parties; the other one arrives on release. */
    private abstract static class OnPhaser implements Blocked {
        final Phaser phaser = new Phaser(2);

        OnPhaser() {
            phaser.arrive(); // this side's arrival at phase 0
        }

        @Override
        public String state() {
            return "phase " + phaser.getPhase() + ", arrived " + phaser.getArrivedParties();
        }

        @Override
        public void release() {
            phaser.arrive();
        }

        @Override
        public String completed() {
            return "1 | phase 1, arrived 0";
        }
    }

    private abstract static class OnThread implements Blocked {
        private final CountDownLatch finish = new CountDownLatch(1);
        final Thread thread = new Thread(() -> {
            try {
                finish.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "joined");
        private final String completed;

        OnThread(String completed) {
            this.completed = completed;
            thread.start();
        }

        @Override
        public String state() {
            return thread.isAlive() ? "alive" : "ended";
        }

        @Override
        public void release() throws InterruptedException {
            finish.countDown();
        }

        @Override
        public String completed() {
            return completed;
        }
    }

    // ---- helpers

    private static Arguments named(String name, Supplier<Blocked> primitive) {
        return Arguments.of(Named.of(name, primitive));
    }

    /** A result as the tests compare it: a future (what a completion service gives) by its value. */
    private static String shown(Object result) throws Exception {
        if (result instanceof java.util.List<?> futures) {
            java.util.List<Object> values = new java.util.ArrayList<>();
            for (Object future : futures) {
                values.add(((java.util.concurrent.Future<?>) future).get());
            }
            return values.toString();
        }
        return result instanceof java.util.concurrent.Future<?> future ? String.valueOf(future.get()) : String.valueOf(result);
    }

    private static long farDeadline() {
        return Stasis.nanoTime() + LONG_WAIT;
    }

    /** Something a test thread runs that may throw. */
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
        }, "blocked caller");
        thread.start();
        return thread;
    }

    /** Waits (a condition, not a fixed time) until the thread is blocked. */
    private static void awaitBlocked(Thread thread) {
        long giveUp = System.nanoTime() + PROMPTLY.toNanos();
        while (thread.getState() != Thread.State.WAITING && thread.getState() != Thread.State.TIMED_WAITING) {
            assertThat(System.nanoTime() - giveUp).as("thread %s blocked (%s)", thread.getName(), thread.getState())
                    .isNegative();
            Thread.onSpinWait();
        }
    }

    /** Calls again while each call may return NOT_YET after a slice (a checkpoint stays pending). */
    private static Object awaitResult(Blocked blocked) throws Exception {
        long giveUp = System.nanoTime() + PROMPTLY.toNanos();
        while (true) {
            Object result = blocked.call();
            if (result != BlockingCalls.NOT_YET) {
                return result;
            }
            assertThat(System.nanoTime() - giveUp).as("the released call completed").isNegative();
        }
    }
}
