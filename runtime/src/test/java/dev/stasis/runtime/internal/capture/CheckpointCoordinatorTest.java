package dev.stasis.runtime.internal.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static dev.stasis.runtime.internal.capture.ProgramWaits.assertRunsOnAndStops;
import static dev.stasis.runtime.internal.capture.ProgramWaits.awaitRequested;

import dev.stasis.rt.Frame;
import dev.stasis.rt.Stasis;
import dev.stasis.runtime.CheckpointException;
import dev.stasis.runtime.internal.registry.InstrumentedClasses;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CheckpointCoordinatorTest {
    private static final Duration GENEROUS = Duration.ofSeconds(20);
    private static final Duration SHORT = Duration.ofMillis(300);
    private static final Duration LOCK_QUERY_TIMEOUT = Duration.ofSeconds(3);

    @RegisterExtension
    final InstalledEngine installed = InstalledEngine.withProtocolProgram();
    private final InstrumentedClasses registry = installed.registry;
    private final PortableEngine engine = installed.engine;
    private final ThreadGroup programGroup = new ThreadGroup("program");
    private final CheckpointCoordinator coordinator = new CheckpointCoordinator(engine,
            ApplicationThreads.matching(thread -> thread.getThreadGroup() == programGroup));
    private final List<Thread> started = new ArrayList<>();
    private final List<CompletableFuture<CheckpointCoordinator.Captured<List<Frame>>>> checkpoints = new ArrayList<>();

    @AfterEach
    void stopPrograms() throws InterruptedException {
        ProtocolProgram.stop = true;
        for (Thread thread : started) {
            thread.join(10_000);
        }
    }

    @Test
    void captures_the_frames_at_a_loop_poll_bottom_first() throws Exception {
        ProtocolProgram.n = 1000;
        checkpointAtStep(500);

        runToEnd(start("app-main", ProtocolProgram::main));

        List<Frame> frames = checkpoints.get(0).get(10, TimeUnit.SECONDS).result();
        assertThat(frames).extracting(Frame::toString)
                .containsExactly(ProtocolProgram.MAIN + " @1", ProtocolProgram.SUM + " @1");
        assertThat(frames.get(0).ints).containsExactly(1000);
        assertThat(frames.get(1).ints).containsExactly(1000, 501);
        assertThat(frames.get(1).longs).containsExactly(ProtocolProgram.sumOfSquaresBelow(501));
    }

    @Test
    void rewinds_in_place_and_finishes_with_the_uninterrupted_result() throws Exception {
        ProtocolProgram.n = 1000;
        checkpointAtStep(300, 700);

        runToEnd(start("app-main", ProtocolProgram::main));

        assertThat(checkpoints).hasSize(2);
        for (CompletableFuture<CheckpointCoordinator.Captured<List<Frame>>> checkpoint : checkpoints) {
            assertThat(checkpoint.get(10, TimeUnit.SECONDS).result()).hasSize(2);
        }
        assertThat(ProtocolProgram.result).isEqualTo(ProtocolProgram.sumOfSquaresBelow(1000));
        assertThat(Stasis.isPending()).isFalse();
    }

    @Test
    void captures_inside_a_synchronized_method_which_holds_only_its_own_monitor() throws Exception {
        ProtocolProgram.n = 200;
        checkpointAtStep(100);

        runToEnd(start("app-main", ProtocolProgram::syncRun));

        assertThat(checkpoints.get(0).get(10, TimeUnit.SECONDS).result()).extracting(Frame::toString)
                .containsExactly(ProtocolProgram.SYNC_RUN + " @1");
        assertThat(ProtocolProgram.result).isEqualTo(ProtocolProgram.sumOfSquaresBelow(200));
    }

    @Test
    void times_out_naming_a_jdk_frame_between_application_frames_and_the_program_runs_on() throws Exception {
        Thread program = start("app-main", ProtocolProgram::sorter);

        assertThatThrownBy(() -> coordinator.capture(program, SHORT, CheckpointCoordinatorTest::framesOfOneThread))
                .isInstanceOf(CheckpointException.class)
                .hasMessageStartingWith("checkpoint timed out after 300ms: thread app-main could not stop at a "
                        + "capturable point: at dev.stasis.runtime.internal.capture.ProtocolProgram.sorter(ProtocolProgram.java:")
                .hasMessageEndingWith("java.util.Arrays.sort is a JDK frame between application frames "
                        + "(it calls back into dev.stasis.runtime.internal.capture.ProtocolProgram.compare)");

        assertRunsOnAndStops(program);
    }

    @Test
    void times_out_naming_a_method_that_is_not_instrumented() throws Exception {
        Thread program = start("app-main", ProtocolProgram::plainLoop);

        assertThatThrownBy(() -> coordinator.capture(program, SHORT, CheckpointCoordinatorTest::framesOfOneThread))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("at dev.stasis.runtime.internal.capture.ProtocolProgram.plainLoop(ProtocolProgram.java:")
                .hasMessageContaining("ProtocolProgram.plainLoop()V is not instrumented");

        assertRunsOnAndStops(program);
    }

    @Test
    void times_out_naming_why_a_method_was_left_uninstrumented() throws Exception {
        registry.recordSkipped(ProtocolProgram.PLAIN_LOOP, "it uses JSR/RET");
        Thread program = start("app-main", ProtocolProgram::plainLoop);

        assertThatThrownBy(() -> coordinator.capture(program, SHORT, CheckpointCoordinatorTest::framesOfOneThread))
                .isInstanceOf(CheckpointException.class)
                .hasMessageEndingWith("ProtocolProgram.plainLoop()V was left uninstrumented: it uses JSR/RET");

        assertRunsOnAndStops(program);
    }

    @Test
    void times_out_inside_a_constructor() throws Exception {
        Thread program = start("app-main", ProtocolProgram::constructing);

        assertThatThrownBy(() -> coordinator.capture(program, SHORT, CheckpointCoordinatorTest::framesOfOneThread))
                .isInstanceOf(CheckpointException.class)
                .hasMessageEndingWith("ProtocolProgram$Stepper.<init> is a constructor, which is never captured: "
                        + "a checkpoint waits until it returns");

        assertRunsOnAndStops(program);
    }

    @Test
    void times_out_while_the_thread_is_inside_a_synchronized_block() throws Exception {
        Thread program = start("app-main", ProtocolProgram::blockLoop);

        assertThatThrownBy(() -> coordinator.capture(program, SHORT, CheckpointCoordinatorTest::framesOfOneThread))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("ProtocolProgram.blockLoop(ProtocolProgram.java:")
                .hasMessageContaining("holds the monitor of java.lang.Object@")
                .hasMessageContaining("(a synchronized block)");

        assertRunsOnAndStops(program);
    }

    @Test
    void times_out_while_the_thread_holds_a_reentrant_lock() throws Exception {
        Thread program = start("app-main", ProtocolProgram::lockLoop);

        // Not SHORT: the lock check's first query searches the heap for owned synchronizers, which on a loaded
        // machine can take longer than 300 ms, and the timeout would then find no verdict to report yet.
        assertThatThrownBy(() -> coordinator.capture(program, LOCK_QUERY_TIMEOUT, CheckpointCoordinatorTest::framesOfOneThread))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("holds the java.util.concurrent lock java.util.concurrent.locks.ReentrantLock@");

        assertRunsOnAndStops(program);
    }

    @Test
    void fails_at_the_cut_when_a_stopped_thread_holds_a_lock_no_call_site_counted_and_the_program_runs_on()
            throws Exception {
        ProtocolProgram.n = 1000;
        ReentrantLock untracked = new ReentrantLock();
        Runnable take = untracked::lock; // a method reference: its lambda proxy is never instrumented
        Runnable release = untracked::unlock;
        CompletableFuture<List<ParkedThread>> cut = checkpointOnceAtStep(300, take);
        IntConsumer checkpointing = ProtocolProgram.onStep;
        ProtocolProgram.onStep = i -> {
            checkpointing.accept(i);
            if (i == 999) {
                release.run();
            }
        };

        Thread program = start("app-main", ProtocolProgram::main);
        program.join(20_000);

        assertThatThrownBy(() -> cut.get(10, TimeUnit.SECONDS)).cause()
                .isInstanceOf(CheckpointException.class)
                .hasMessageStartingWith("checkpoint abandoned at the cut: thread app-main holds "
                        + "java.util.concurrent.locks.ReentrantLock$NonfairSync@")
                .hasMessageContaining("(stopped in " + ProtocolProgram.SUM + "), held outside a call site Stasis tracks")
                .hasMessageEndingWith("The program runs on and the previous snapshots are intact.");
        assertThat(program.isAlive()).isFalse();
        assertThat(ProtocolProgram.result).as("run on to the end after the failed checkpoint")
                .isEqualTo(ProtocolProgram.sumOfSquaresBelow(1000));
        assertThat(untracked.isLocked()).isFalse();
        assertThat(Stasis.isPending()).isFalse();
    }

    @Test
    void times_out_naming_where_a_thread_that_never_polls_is() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        Thread program = start("app-main", () -> awaitQuietly(never));

        try {
            assertThatThrownBy(() -> coordinator.capture(program, SHORT, CheckpointCoordinatorTest::framesOfOneThread))
                    .isInstanceOf(CheckpointException.class)
                    .hasMessageStartingWith("checkpoint timed out after 300ms: thread app-main did not reach a poll")
                    .hasMessageContaining("in java.util.concurrent.CountDownLatch.await called at "
                            + "dev.stasis.runtime.internal.capture.CheckpointCoordinatorTest.awaitQuietly(");
        } finally {
            never.countDown();
        }
        assertThat(Stasis.isPending()).isFalse();
    }

    @Test
    void gives_up_when_the_thread_ends_before_it_reaches_a_capturable_point() throws Exception {
        CountDownLatch end = new CountDownLatch(1);
        Thread program = start("app-main", () -> awaitQuietly(end));
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        Thread requester = new Thread(programGroup.getParent(), () -> {
            try {
                coordinator.capture(program, Duration.ofMinutes(10), CheckpointCoordinatorTest::framesOfOneThread);
                failure.complete(null);
            } catch (Throwable e) {
                failure.complete(e);
            }
        }, "stasis-test-checkpointer");
        requester.start();
        awaitRequested(engine, failure);

        end.countDown();

        assertThat(failure.get(10, TimeUnit.SECONDS)).isInstanceOf(CheckpointException.class)
                .hasMessage("checkpoint abandoned: every application thread ended before it reached a capturable point");
        assertThat(Stasis.isPending()).isFalse();
    }

    @Test
    void captures_every_application_thread_at_one_cut_and_each_runs_on_to_the_uninterrupted_result() throws Exception {
        ProtocolProgram.n = 100_000;
        CountDownLatch allStarted = new CountDownLatch(3);
        CompletableFuture<List<ParkedThread>> cut = checkpointOnceAtStep(1, () -> { });
        IntConsumer checkpointing = ProtocolProgram.onStep;
        ProtocolProgram.onStep = i -> {
            if (i == 1) {
                allStarted.countDown();
                awaitQuietly(allStarted);
                checkpointing.accept(i); // the first one here asks for the checkpoint
                // No thread runs on before the checkpoint is pending: 100 000 steps take a compiled thread
                // a millisecond, so one could end before the request, and the cut would rightly miss it.
                awaitRequested(engine, cut);
            }
        };

        List<Thread> programs = List.of(start("app-a", ProtocolProgram::main), start("app-b", ProtocolProgram::main),
                start("app-c", ProtocolProgram::main));
        for (Thread program : programs) {
            program.join(20_000);
        }

        List<ParkedThread> parked = cut.get(10, TimeUnit.SECONDS);
        assertThat(parked).extracting(ParkedThread::thread).containsExactlyInAnyOrderElementsOf(programs);
        assertThat(parked).allSatisfy(thread -> assertThat(thread.bottomFirst()).extracting(Frame::toString)
                .startsWith(ProtocolProgram.MAIN + " @1"));
        assertThat(ProtocolProgram.result).isEqualTo(ProtocolProgram.sumOfSquaresBelow(100_000));
        assertThat(Stasis.isPending()).isFalse();
    }

    @Test
    void a_thread_started_while_the_others_stop_is_in_the_same_cut() throws Exception {
        ProtocolProgram.n = 1000;
        List<Thread> late = new CopyOnWriteArrayList<>();
        CompletableFuture<List<ParkedThread>> cut = checkpointOnceAtStep(300,
                () -> late.add(start("late", ProtocolProgram::main)));

        Thread program = start("app-main", ProtocolProgram::main);
        program.join(20_000);
        late.get(0).join(20_000);

        assertThat(cut.get(10, TimeUnit.SECONDS)).extracting(ParkedThread::thread)
                .containsExactlyInAnyOrder(program, late.get(0));
        assertThat(ProtocolProgram.result).isEqualTo(ProtocolProgram.sumOfSquaresBelow(1000));
    }

    @Test
    void a_thread_that_ends_while_the_others_stop_is_not_waited_for() throws Exception {
        ProtocolProgram.n = 1000;
        CountDownLatch end = new CountDownLatch(1);
        Thread ending = start("ending", () -> awaitQuietly(end)); // never polls: the cut can only come once it ends
        CompletableFuture<List<ParkedThread>> cut = checkpointOnceAtStep(300, end::countDown);

        Thread program = start("app-main", ProtocolProgram::main);
        program.join(20_000);

        assertThat(cut.get(10, TimeUnit.SECONDS)).extracting(ParkedThread::thread).containsExactly(program);
        assertThat(ending.isAlive()).isFalse();
        assertThat(ProtocolProgram.result).isEqualTo(ProtocolProgram.sumOfSquaresBelow(1000));
    }

    @Test
    void times_out_naming_every_thread_that_did_not_stop_and_what_it_held() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Thread locker = start("locker", ProtocolProgram::lockLoop);
        start("waiter", () -> awaitQuietly(release));
        try {
            // Long enough for the locker's first lock check (a heap walk at a JVM safepoint) on a loaded machine.
            assertThatThrownBy(() -> coordinator.capture(null, Duration.ofSeconds(3), CheckpointCoordinatorTest::framesOfOneThread))
                    .isInstanceOf(CheckpointException.class)
                    .hasMessageStartingWith("checkpoint timed out after 3s: ")
                    .hasMessageContaining("thread locker could not stop at a capturable point: at "
                            + "dev.stasis.runtime.internal.capture.ProtocolProgram.")
                    .hasMessageContaining("holds the java.util.concurrent lock java.util.concurrent.locks.ReentrantLock@")
                    .hasMessageContaining("thread waiter did not reach a poll (it is blocked, or in code that is not "
                            + "instrumented): in java.util.concurrent.CountDownLatch.await called at ");
            assertThat(Stasis.isPending()).isFalse();
        } finally {
            release.countDown();
        }
        assertRunsOnAndStops(locker);
    }

    @Test
    void refuses_a_checkpoint_requested_by_an_application_thread() throws Exception {
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        Thread program = start("app-main", () -> {
            try {
                coordinator.capture(Thread.currentThread(), GENEROUS, CheckpointCoordinatorTest::framesOfOneThread);
                failure.complete(null);
            } catch (Throwable e) {
                failure.complete(e);
            }
        });
        program.join(10_000);

        assertThat(failure.get(10, TimeUnit.SECONDS)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("cannot checkpoint from application thread app-main: it would wait for itself to stop");
        assertThat(Stasis.isPending()).isFalse();
    }

    @Test
    void refuses_when_no_application_thread_is_left() throws Exception {
        Thread program = start("app-main", () -> { });
        program.join();

        assertThatThrownBy(() -> coordinator.capture(program, GENEROUS, CheckpointCoordinatorTest::framesOfOneThread))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("no application thread is running");
    }

    @Test
    void the_time_to_the_cut_is_part_of_the_pause_and_leaves_out_what_runs_while_the_threads_are_parked()
            throws Exception {
        ProtocolProgram.n = 1000;
        long actionNanos = TimeUnit.MILLISECONDS.toNanos(50);
        CompletableFuture<CheckpointCoordinator.Captured<Long>> captured = new CompletableFuture<>();
        ProtocolProgram.onStep = i -> {
            if (i == 400) {
                Thread target = Thread.currentThread();
                new Thread(programGroup.getParent(), () -> {
                    try {
                        captured.complete(coordinator.capture(target, GENEROUS, frames -> {
                            long start = System.nanoTime();
                            while (System.nanoTime() - start < actionNanos) {
                                Thread.onSpinWait(); // a snapshot write that takes this long
                            }
                            return System.nanoTime() - start;
                        }));
                    } catch (Throwable e) {
                        captured.completeExceptionally(e);
                    }
                }, "stasis-test-checkpointer").start();
                awaitRequested(engine, captured);
            }
        };

        runToEnd(start("app-main", ProtocolProgram::main));

        CheckpointCoordinator.Captured<Long> checkpoint = captured.get(10, TimeUnit.SECONDS);
        assertThat(checkpoint.quiesceNanos()).isPositive();
        assertThat(checkpoint.pauseNanos() - checkpoint.quiesceNanos()).isGreaterThanOrEqualTo(checkpoint.result());
        assertThat(ProtocolProgram.result).isEqualTo(ProtocolProgram.sumOfSquaresBelow(1000));
    }

    @Test
    void a_failed_snapshot_write_leaves_the_program_running_to_the_same_result() throws Exception {
        ProtocolProgram.n = 1000;
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        ProtocolProgram.onStep = i -> {
            if (i == 400) {
                Thread target = Thread.currentThread();
                new Thread(programGroup.getParent(), () -> {
                    try {
                        coordinator.capture(target, GENEROUS, frames -> {
                            throw new IOException("disk full");
                        });
                        failure.complete(null);
                    } catch (Throwable e) {
                        failure.complete(e);
                    }
                }, "stasis-test-checkpointer").start();
                awaitRequested(engine, failure);
            }
        };

        runToEnd(start("app-main", ProtocolProgram::main));

        assertThat(failure.get(10, TimeUnit.SECONDS)).isInstanceOf(CheckpointException.class)
                .hasMessage("disk full; the program runs on and the previous snapshots are intact");
        assertThat(ProtocolProgram.result).isEqualTo(ProtocolProgram.sumOfSquaresBelow(1000));
        assertThat(Stasis.isPending()).isFalse();
    }

    /** From inside the program, at these steps: ask for a checkpoint and go on once it is requested. */
    private void checkpointAtStep(int... steps) {
        ProtocolProgram.onStep = i -> {
            for (int step : steps) {
                if (i == step) {
                    CompletableFuture<CheckpointCoordinator.Captured<List<Frame>>> checkpoint = new CompletableFuture<>();
                    checkpoints.add(checkpoint);
                    Thread target = Thread.currentThread();
                    new Thread(programGroup.getParent(), () -> {
                        try {
                            checkpoint.complete(coordinator.capture(target, GENEROUS, CheckpointCoordinatorTest::framesOfOneThread));
                        } catch (Throwable e) {
                            checkpoint.completeExceptionally(e);
                        }
                    }, "stasis-test-checkpointer").start();
                    awaitRequested(engine, checkpoint);
                }
            }
        };
    }

    /**
     * From inside the program, the first time any thread reaches {@code step}: ask for one checkpoint (the cut is
     * handed back as it was), wait until it is requested, then run {@code meanwhile} on that thread.
     */
    private CompletableFuture<List<ParkedThread>> checkpointOnceAtStep(int step, Runnable meanwhile) {
        CompletableFuture<List<ParkedThread>> cut = new CompletableFuture<>();
        AtomicBoolean asked = new AtomicBoolean();
        ProtocolProgram.onStep = i -> {
            if (i == step && asked.compareAndSet(false, true)) {
                new Thread(programGroup.getParent(), () -> {
                    try {
                        cut.complete(coordinator.capture(null, GENEROUS, List::copyOf).result());
                    } catch (Throwable e) {
                        cut.completeExceptionally(e);
                    }
                }, "stasis-test-checkpointer").start();
                awaitRequested(engine, cut);
                meanwhile.run();
            }
        };
        return cut;
    }

    /** The frames of the one thread a single-threaded program has parked. */
    private static List<Frame> framesOfOneThread(List<ParkedThread> parked) {
        assertThat(parked).hasSize(1);
        return parked.get(0).bottomFirst();
    }
    private Thread start(String name, Runnable body) {
        Thread thread = new Thread(programGroup, body, name);
        started.add(thread);
        thread.start();
        return thread;
    }

    private void runToEnd(Thread program) throws InterruptedException, ExecutionException, TimeoutException {
        program.join(20_000);
        assertThat(program.isAlive()).as("program finished").isFalse();
        for (CompletableFuture<CheckpointCoordinator.Captured<List<Frame>>> checkpoint : checkpoints) {
            checkpoint.get(10, TimeUnit.SECONDS);
        }
    }

    /** This class's own, not {@link ProgramWaits}'s: a test names this frame as where the program waits. */
    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
