package dev.stasis.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.rt.Frame;
import dev.stasis.rt.Stasis;
import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Exchanger;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Phaser;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A thread blocked in each rewritten call is captured at once when a checkpoint is requested, at the call's
 * loop, with nothing taken, put, acquired or counted; resumed (as after a relaunch, or in place), it makes the
 * call again and gets exactly what the uninterrupted program would have got.
 */
class BlockingCallCaptureTest {
    private static final String TARGET = "BlockingTarget";
    private static final Duration PROMPTLY = Duration.ofSeconds(10);

    /** One target method, the object it blocks on, what lets it complete, and its result then. */
    record Case(String target, String method, Supplier<Object> primitive, Consumer<Object> release, String expected,
                Function<Object, String> state) {
        /** A method of {@code BlockingTarget}. */
        Case(String method, Supplier<Object> primitive, Consumer<Object> release, String expected,
             Function<Object, String> state) {
            this(TARGET, method, primitive, release, expected, state);
        }
    }

    @BeforeEach
    void install() throws Exception {
        Rewinding.install();
        set("released", false);
    }

    @AfterEach
    void uninstall() {
        Rewinding.uninstall();
        Stasis.continueClockFrom(System.nanoTime());
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                queue("take", "took x after 42"),
                queue("takeFromClass", "took x"),
                queue("takeIntoConstructor", "took x"),
                queue("poll", "polled x"),
                deque("takeFirst", "took x"),
                deque("takeLast", "took x"),
                deque("pollFirst", "polled x"),
                deque("pollLast", "polled x"),
                fullQueue("put", "put"),
                fullQueue("offer", "offered true"),
                fullDeque("putFirst", "put"),
                fullDeque("putLast", "put"),
                fullDeque("offerFirst", "offered true"),
                fullDeque("offerLast", "offered true"),
                latch("await", "opened"),
                latch("awaitTimed", "opened true"),
                semaphore("acquire", 0, "acquired"),
                semaphore("acquireTwo", 1, "acquired"),
                semaphore("acquireUninterruptibly", 0, "acquired"),
                semaphore("acquireTwoUninterruptibly", 1, "acquired"),
                semaphore("tryAcquire", 0, "acquired true"),
                semaphore("tryAcquireTwo", 1, "acquired true"),
                of(new Case("get", () -> new FutureTask<>(() -> "value"), task -> ((FutureTask<?>) task).run(),
                        "got value", task -> "done " + ((FutureTask<?>) task).isDone())),
                of(new Case("getTimed", () -> new FutureTask<>(() -> "value"), task -> ((FutureTask<?>) task).run(),
                        "got value", task -> "done " + ((FutureTask<?>) task).isDone())),
                of(new Case("getFromCompletableFuture", CompletableFuture::new,
                        future -> ((CompletableFuture<Object>) future).complete("value"), "got value",
                        future -> "done " + ((CompletableFuture<?>) future).isDone())),
                of(new Case("awaitTermination", PausedPool::new, pool -> ((PausedPool) pool).finish.countDown(),
                        "terminated true", pool -> "terminated " + ((PausedPool) pool).isTerminated())),
                closing(),
                completion("takeCompleted"),
                completion("pollCompleted"),
                exchanger("exchange"),
                exchanger("exchangeTimed"),
                phaser("awaitAdvance", true),
                phaser("awaitAdvanceInterruptibly", true),
                phaser("awaitAdvanceInterruptiblyTimed", true),
                phaser("arriveAndAwaitAdvance", false),
                joined("join"),
                joined("joinMillis"),
                joined("joinMillisNanos"),
                of(new Case("parkUntilReleased", () -> "nothing", nothing -> {
                    set("released", true);
                    LockSupport.unpark(lastRunner);
                }, "released", nothing -> "")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void a_thread_blocked_in_the_call_is_captured_at_once_and_after_a_relaunch_gets_exactly_its_result(Case blocking)
            throws Exception {
        Object primitive = blocking.primitive().get();
        set("primitive", primitive);
        CompletableFuture<Object> firstRun = runInThread(blocking.target(), blocking.method());
        awaitBlocked(firstRun);
        String before = blocking.state().apply(primitive);

        Rewinding.ENGINE.arm(1, CaptureEngine.Mode.RELAUNCH); // the first poll it reaches: the call's loop

        assertThat(firstRun.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS)).as("the unwound entry's dummy").isNull();
        Rewinding.ENGINE.disarm();
        List<Frame> captured = Rewinding.ENGINE.captured();
        assertThat(captured).hasSize(1);
        assertThat(captured.get(0).point).as("the loop of the call").isEqualTo(1);
        assertThat(blocking.state().apply(primitive)).as("what the call waits for, after the capture").isEqualTo(before);

        blocking.release().accept(primitive);
        Rewinding.ENGINE.rewindCaptured();
        Object resumed = runInThread(blocking.target(), blocking.method()).get(PROMPTLY.toSeconds(), TimeUnit.SECONDS);

        assertThat(Rewinding.ENGINE.rewindFinished()).isTrue();
        assertThat(resumed).isEqualTo(blocking.expected());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void a_thread_captured_in_the_call_carries_on_in_place_and_completes_once_released(Case blocking) throws Exception {
        Object primitive = blocking.primitive().get();
        set("primitive", primitive);
        CompletableFuture<Object> run = runInThread(blocking.target(), blocking.method());
        awaitBlocked(run);
        String before = blocking.state().apply(primitive);

        Rewinding.ENGINE.arm(1, CaptureEngine.Mode.IN_PLACE);
        awaitCapturedInPlace();
        awaitBlocked(run); // blocked again in the same call
        assertThat(Rewinding.ENGINE.captured()).hasSize(1);
        Rewinding.ENGINE.disarm();
        assertThat(blocking.state().apply(primitive)).isEqualTo(before);

        blocking.release().accept(primitive);
        assertThat(run.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS)).isEqualTo(blocking.expected());
    }

    @Test
    void the_programs_interrupt_still_reaches_its_handler_through_the_rewritten_call() throws Exception {
        set("primitive", new LinkedBlockingQueue<String>());
        CompletableFuture<Object> run = runInThread("takeOrInterrupted");
        Thread caller = awaitBlocked(run);

        caller.interrupt();

        assertThat(run.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS)).isEqualTo("interrupted, flag false");
    }

    @Test
    void a_timed_poll_and_a_TimeUnit_sleep_captured_keep_their_deadlines_after_a_relaunch() throws Exception {
        for (String method : List.of("poll", "timeUnitSleep")) {
            set("primitive", new LinkedBlockingQueue<String>());
            CompletableFuture<Object> firstRun = runInThread(method);
            awaitBlocked(firstRun);
            Rewinding.ENGINE.arm(1, CaptureEngine.Mode.RELAUNCH);
            assertThat(firstRun.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS)).isNull();
            Rewinding.ENGINE.disarm();
            Frame frame = Rewinding.ENGINE.captured().get(0);
            assertThat(frame.longs).as("the deadline of %s", method).hasSize(1);
            long deadline = frame.longs[0];
            assertThat(deadline - Stasis.nanoTime()).as("30 s ahead").isGreaterThan(TimeUnit.SECONDS.toNanos(20));

            // A relaunch whose clock goes on 50 ms before the deadline: only those 50 ms are left to wait.
            Stasis.continueClockFrom(deadline - TimeUnit.MILLISECONDS.toNanos(50));
            Rewinding.ENGINE.rewindCaptured();
            Object resumed = runInThread(method).get(PROMPTLY.toSeconds(), TimeUnit.SECONDS);

            assertThat(resumed).isEqualTo(method.equals("poll") ? "polled null" : "slept");
            assertThat(Stasis.nanoTime() - deadline).as("%s waited until its deadline", method).isNotNegative();
            Stasis.continueClockFrom(System.nanoTime());
        }
    }

    // ---- the cases

    private static Arguments of(Case blocking) {
        return Arguments.of(Named.of(blocking.method(), blocking));
    }

    @SuppressWarnings("unchecked")
    private static Arguments queue(String method, String expected) {
        return of(new Case(method, LinkedBlockingQueue::new, queue -> ((LinkedBlockingQueue<Object>) queue).add("x"),
                expected, Object::toString));
    }

    /** One element: a thread carrying on in place may take it before a second one arrives (BlockingCallsTest covers the ends). */
    @SuppressWarnings("unchecked")
    private static Arguments deque(String method, String expected) {
        return of(new Case(method, LinkedBlockingDeque::new, deque -> ((LinkedBlockingDeque<Object>) deque).add("x"),
                expected, Object::toString));
    }

    private static Arguments fullQueue(String method, String expected) {
        return of(new Case(method, () -> new ArrayBlockingQueue<>(1, false, List.of("a")),
                queue -> ((ArrayBlockingQueue<?>) queue).remove("a"), expected, Object::toString));
    }

    @SuppressWarnings("unchecked")
    private static Arguments fullDeque(String method, String expected) {
        return of(new Case(method, () -> {
            LinkedBlockingDeque<Object> deque = new LinkedBlockingDeque<>(1);
            deque.add("a");
            return deque;
        }, deque -> ((LinkedBlockingDeque<Object>) deque).remove("a"), expected, Object::toString));
    }

    private static Arguments latch(String method, String expected) {
        return of(new Case(method, () -> new CountDownLatch(1), latch -> ((CountDownLatch) latch).countDown(), expected,
                latch -> "count " + ((CountDownLatch) latch).getCount()));
    }

    private static Arguments semaphore(String method, int permits, String expected) {
        return of(new Case(method, () -> new Semaphore(permits), semaphore -> ((Semaphore) semaphore).release(),
                expected, semaphore -> "permits " + ((Semaphore) semaphore).availablePermits()));
    }

    /** A completion service whose one task runs only once released. */
    private static Arguments completion(String method) {
        return of(new Case(method, HeldCompletions::new, service -> ((HeldCompletions) service).release(),
                "completed value", service -> "held " + ((HeldCompletions) service).held.size()));
    }

    /** A JDK completion service over an executor that holds its tasks until released. */
    private static final class HeldCompletions extends ExecutorCompletionService<String> {
        final List<Runnable> held;

        HeldCompletions() {
            this(new CopyOnWriteArrayList<>());
        }

        private HeldCompletions(List<Runnable> held) {
            super(held::add);
            this.held = held;
            submit(() -> "value");
        }

        void release() {
            held.forEach(Runnable::run);
            held.clear();
        }
    }

    /** The partner exchanges from a thread of its own once released. */
    @SuppressWarnings("unchecked")
    private static Arguments exchanger(String method) {
        return of(new Case(method, Exchanger::new, exchanger -> {
            Thread partner = new Thread(() -> {
                try {
                    ((Exchanger<Object>) exchanger).exchange("partner's", PROMPTLY.toSeconds(), TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "exchange partner");
            partner.start();
        }, "exchanged for partner's", exchanger -> ""));
    }

    /** Two parties; this side has arrived unless the method arrives itself; the other arrives on release. */
    private static Arguments phaser(String method, boolean arrivedBefore) {
        return of(new Case(method, () -> {
            Phaser phaser = new Phaser(2);
            if (arrivedBefore) {
                phaser.arrive();
            }
            return phaser;
        }, phaser -> ((Phaser) phaser).arrive(), "advanced to 1",
                phaser -> "phase " + ((Phaser) phaser).getPhase() + ", arrived " + ((Phaser) phaser).getArrivedParties()));
    }

    /**
     * {@code ExecutorService.close()} of a generated class (javac cannot call it for Java 17) on a JDK pool, whose
     * {@code close()} is the JDK's (an application's subclass would keep its own call), and whose one task runs
     * until released.
     */
    private static Arguments closing() {
        return of(new Case("ClosingTarget", "close", () -> {
            CountDownLatch finish = new CountDownLatch(1);
            ExecutorService pool = Executors.newSingleThreadExecutor();
            pool.execute(() -> {
                try {
                    finish.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            RUNNING_TASKS.put(pool, finish);
            return pool;
        }, pool -> RUNNING_TASKS.remove(pool).countDown(), "closed, terminated",
                pool -> "shutdown " + ((ExecutorService) pool).isShutdown() + ", terminated "
                        + ((ExecutorService) pool).isTerminated()));
    }

    /** What lets the running task of a pool {@link #closing()} made end. */
    private static final Map<Object, CountDownLatch> RUNNING_TASKS = new ConcurrentHashMap<>();

    private static Arguments joined(String method) {
        return of(new Case(method, JoinedThread::new, thread -> ((JoinedThread) thread).finish.countDown(), "joined",
                thread -> ((Thread) thread).isAlive() ? "alive" : "ended"));
    }

    /** A thread that ends once released. */
    private static final class JoinedThread extends Thread {
        final CountDownLatch finish = new CountDownLatch(1);

        JoinedThread() {
            super("joined");
            setDaemon(true);
            start();
        }

        @Override
        public void run() {
            try {
                finish.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * A shut-down pool whose one task runs until released. A subclass of the application's, as pools often
     * are, whose {@code awaitTermination} is still the JDK's.
     */
    private static final class PausedPool extends ThreadPoolExecutor {
        final CountDownLatch finish = new CountDownLatch(1);

        PausedPool() {
            super(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
            execute(() -> {
                try {
                    finish.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            shutdown();
        }
    }

    // ---- helpers

    private static void set(String field, Object value) {
        try {
            Rewinding.instrumented(TARGET).getField(field).set(null, value);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The thread of the last run started, which {@link #awaitBlocked} watches. */
    private static volatile Thread lastRunner;

    private static CompletableFuture<Object> runInThread(String method) {
        return runInThread(TARGET, method);
    }

    private static CompletableFuture<Object> runInThread(String target, String method) {
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        Thread runner = new Thread(() -> {
            try {
                outcome.complete(Rewinding.instrumented(target).getMethod(method).invoke(null));
            } catch (InvocationTargetException e) {
                outcome.completeExceptionally(e.getCause());
            } catch (Throwable e) {
                outcome.completeExceptionally(e);
            }
        }, "blocked in " + method);
        lastRunner = runner;
        runner.start();
        return outcome;
    }

    /** Waits (a condition, not a fixed time) until the last started run is blocked; returns its thread. */
    private static Thread awaitBlocked(CompletableFuture<Object> run) {
        Thread thread = lastRunner;
        long giveUp = System.nanoTime() + PROMPTLY.toNanos();
        while (thread.getState() != Thread.State.WAITING && thread.getState() != Thread.State.TIMED_WAITING) {
            assertThat(run).as("%s ended before it blocked", thread.getName()).isNotDone();
            assertThat(System.nanoTime() - giveUp).as("%s blocked (%s)", thread.getName(), thread.getState()).isNegative();
            Thread.onSpinWait();
        }
        return thread;
    }

    /** The engine lowers the pending switch once the thread, captured, carries on in place. */
    private static void awaitCapturedInPlace() {
        long giveUp = System.nanoTime() + PROMPTLY.toNanos();
        while (Stasis.isPending()) {
            assertThat(System.nanoTime() - giveUp).as("captured").isNegative();
            Thread.onSpinWait();
        }
    }
}
