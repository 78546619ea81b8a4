package dev.stasis.runtime.internal.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static dev.stasis.runtime.internal.capture.ProgramWaits.assertRunsOnAndStops;
import static dev.stasis.runtime.internal.capture.ProgramWaits.awaitQuietly;
import static dev.stasis.runtime.internal.capture.ProgramWaits.awaitRequested;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stasis.rt.Frame;
import dev.stasis.rt.Stasis;
import dev.stasis.runtime.CheckpointException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Virtual threads (JDK 21 and later) are application threads like platform ones: found through the JDK's thread
 * containers, stopped at the same cut, captured only outside synchronized blocks and locks, also as tasks of a
 * thread-per-task executor, and refused with the reason where a resume could not enter their code again. Runs on the JDK 25 pass of this module's tests; on JDK 17
 * there are none.
 */
class VirtualThreadsTest {
    private static final Duration GENEROUS = Duration.ofSeconds(20);
    private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(3);
    private static final String VIRTUAL_PREFIX = "vt-test-";

    @RegisterExtension
    final InstalledEngine installed = InstalledEngine.withProtocolProgram();
    private final ThreadGroup programGroup = new ThreadGroup("program");
    private final CheckpointCoordinator coordinator = new CheckpointCoordinator(installed.engine,
            ApplicationThreads.matching(thread -> thread.getThreadGroup() == programGroup
                    || VirtualThreads.isVirtual(thread) && thread.getName().startsWith(VIRTUAL_PREFIX)));
    private final List<Thread> started = new ArrayList<>();

    @AfterEach
    void stopPrograms() throws InterruptedException {
        ProtocolProgram.stop = true;
        for (Thread thread : started) {
            thread.join(10_000);
        }
    }

    private static boolean jdkHasVirtualThreads() {
        return Runtime.version().feature() >= 21;
    }

    @Test
    void on_jdk_17_there_are_none() {
        assumeTrue(!jdkHasVirtualThreads(), "runs on JDK 17 only");
        assertThat(VirtualThreads.live()).isEmpty();
        assertThat(VirtualThreads.isVirtual(Thread.currentThread())).isFalse();
    }

    @Test
    void a_virtual_thread_is_listed_while_it_lives_and_is_an_application_thread() throws Exception {
        assumeTrue(jdkHasVirtualThreads(), "virtual threads exist on JDK 21 and later");
        CompletableFuture<Void> end = new CompletableFuture<>();
        Thread virtual = startVirtual("vt-test-listed", end::join);

        assertThat(VirtualThreads.isVirtual(virtual)).isTrue();
        assertThat(VirtualThreads.live()).contains(virtual);
        assertThat(ApplicationThreads.isApplicationThread(virtual)).isTrue();
        end.complete(null);
        virtual.join(10_000);
        assertThat(VirtualThreads.live()).doesNotContain(virtual);
    }

    @Test
    void a_virtual_thread_is_captured_at_its_poll_and_rewinds_in_place_to_the_uninterrupted_result() throws Exception {
        assumeTrue(jdkHasVirtualThreads(), "virtual threads exist on JDK 21 and later");
        ProtocolProgram.n = 1000;
        List<CompletableFuture<List<ParkedThread>>> cuts = new ArrayList<>();
        ProtocolProgram.onStep = i -> {
            if (i == 300 || i == 700) {
                cuts.add(checkpointFromOutside(Thread.currentThread()));
            }
        };

        Thread virtual = startVirtual("vt-test-main", ProtocolProgram::main);
        virtual.join(20_000);

        assertThat(virtual.isAlive()).as("virtual thread finished").isFalse();
        assertThat(cuts).hasSize(2);
        for (CompletableFuture<List<ParkedThread>> cut : cuts) {
            List<ParkedThread> parked = cut.get(10, TimeUnit.SECONDS);
            assertThat(parked).extracting(ParkedThread::thread).containsExactly(virtual);
            assertThat(parked.get(0).bottomFirst()).extracting(Frame::toString)
                    .containsExactly(ProtocolProgram.MAIN + " @1", ProtocolProgram.SUM + " @1");
        }
        assertThat(ProtocolProgram.result).isEqualTo(ProtocolProgram.sumOfSquaresBelow(1000));
        assertThat(Stasis.isPending()).isFalse();
    }

    @Test
    void platform_and_virtual_threads_stop_at_one_cut() throws Exception {
        assumeTrue(jdkHasVirtualThreads(), "virtual threads exist on JDK 21 and later");
        ProtocolProgram.n = 100_000;
        AtomicBoolean asked = new AtomicBoolean();
        CountDownLatch allStarted = new CountDownLatch(2);
        CompletableFuture<Void> bothRunning = new CompletableFuture<>();
        ProtocolProgram.onStep = i -> {
            if (i == 1) {
                allStarted.countDown();
                awaitQuietly(allStarted);
                if (asked.compareAndSet(false, true)) {
                    bothRunning.complete(null);
                }
                awaitRequested(installed.engine, null); // neither may run to its end before the checkpoint is asked for
            }
        };
        CompletableFuture<List<ParkedThread>> checkpoint = new CompletableFuture<>();
        Thread checkpointer = new Thread(programGroup.getParent(), () -> {
            try {
                bothRunning.join();
                checkpoint.complete(coordinator.capture(null, GENEROUS, List::copyOf).result());
            } catch (Throwable e) {
                checkpoint.completeExceptionally(e);
            }
        }, "stasis-test-checkpointer");
        checkpointer.start();

        Thread platform = startPlatform("app-platform", ProtocolProgram::main);
        Thread virtual = startVirtual("vt-test-virtual", ProtocolProgram::main);
        platform.join(20_000);
        virtual.join(20_000);

        assertThat(checkpoint.get(10, TimeUnit.SECONDS)).extracting(ParkedThread::thread)
                .containsExactlyInAnyOrder(platform, virtual);
        assertThat(ProtocolProgram.result).isEqualTo(ProtocolProgram.sumOfSquaresBelow(100_000));
        assertThat(Stasis.isPending()).isFalse();
    }

    @Test
    void a_virtual_thread_inside_a_synchronized_method_holds_only_its_own_monitor_and_is_captured() throws Exception {
        assumeTrue(jdkHasVirtualThreads(), "virtual threads exist on JDK 21 and later");
        ProtocolProgram.n = 200;
        List<CompletableFuture<List<ParkedThread>>> cuts = new ArrayList<>();
        ProtocolProgram.onStep = i -> {
            if (i == 100) {
                cuts.add(checkpointFromOutside(Thread.currentThread()));
            }
        };

        Thread virtual = startVirtual("vt-test-sync", ProtocolProgram::syncRun);
        virtual.join(20_000);

        assertThat(cuts.get(0).get(10, TimeUnit.SECONDS).get(0).bottomFirst()).extracting(Frame::toString)
                .containsExactly(ProtocolProgram.SYNC_RUN + " @1");
        assertThat(ProtocolProgram.result).isEqualTo(ProtocolProgram.sumOfSquaresBelow(200));
    }

    @Test
    void a_virtual_thread_inside_a_synchronized_block_is_never_captured_and_the_timeout_says_so() throws Exception {
        assumeTrue(jdkHasVirtualThreads(), "virtual threads exist on JDK 21 and later");
        Thread virtual = startVirtual("vt-test-block", ProtocolProgram::blockLoop);

        assertThatThrownBy(() -> coordinator.capture(null, LOCK_TIMEOUT, List::copyOf))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("thread vt-test-block could not stop at a capturable point")
                .hasMessageContaining("ProtocolProgram.blockLoop(ProtocolProgram.java:")
                .hasMessageContaining("holds the monitor of java.lang.Object@")
                .hasMessageContaining("(a synchronized block)");

        assertRunsOnAndStops(virtual);
    }

    @Test
    void a_virtual_thread_holding_a_reentrant_lock_is_never_captured_and_the_timeout_says_so() throws Exception {
        assumeTrue(jdkHasVirtualThreads(), "virtual threads exist on JDK 21 and later");
        Thread virtual = startVirtual("vt-test-lock", ProtocolProgram::lockLoop);

        assertThatThrownBy(() -> coordinator.capture(null, LOCK_TIMEOUT, List::copyOf))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("thread vt-test-lock could not stop at a capturable point")
                .hasMessageContaining("holds the java.util.concurrent lock");

        assertRunsOnAndStops(virtual);
    }

    @Test
    void a_task_of_a_virtual_thread_per_task_executor_is_captured_under_the_executor_frames_and_runs_on() throws Exception {
        assumeTrue(jdkHasVirtualThreads(), "virtual threads exist on JDK 21 and later");
        ProtocolProgram.n = 1000;
        List<CompletableFuture<List<ParkedThread>>> cuts = new ArrayList<>();
        ProtocolProgram.onStep = i -> {
            if (i == 500) {
                cuts.add(checkpointFromOutside(Thread.currentThread()));
            }
        };
        ExecutorService executor = virtualThreadPerTaskExecutor("vt-test-task-");
        try {
            // A method reference: its proxy is hidden, so ProtocolProgram.main is the bottom application frame, under
            // submit(Runnable)'s RunnableAdapter, FutureTask.run and ThreadBoundFuture.run.
            Future<?> done = executor.submit((Runnable) ProtocolProgram::main);

            assertThat(done.get(20, TimeUnit.SECONDS)).isNull();
            assertThat(ProtocolProgram.result).isEqualTo(ProtocolProgram.sumOfSquaresBelow(1000));
            List<ParkedThread> parked = cuts.get(0).get(10, TimeUnit.SECONDS);
            assertThat(parked).hasSize(1);
            assertThat(parked.get(0).thread().getName()).isEqualTo("vt-test-task-0");
            assertThat(parked.get(0).bottomFirst()).extracting(Frame::toString)
                    .containsExactly(ProtocolProgram.MAIN + " @1", ProtocolProgram.SUM + " @1");
        } finally {
            executor.shutdown();
            assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(Stasis.isPending()).isFalse();
    }

    @Test
    void a_per_task_executor_task_cancelled_while_it_runs_is_waited_for_with_the_reason() throws Exception {
        assumeTrue(jdkHasVirtualThreads(), "virtual threads exist on JDK 21 and later");
        ProtocolProgram.n = 1000;
        ExecutorService executor = virtualThreadPerTaskExecutor("vt-test-cancelled-");
        try {
            // Runs until stopped; cancel(false) once it runs marks its future cancelled and lets it run on.
            CountDownLatch running = new CountDownLatch(1);
            ProtocolProgram.onStep = i -> running.countDown();
            Future<?> task = executor.submit((Runnable) ProtocolProgram::blockLoop);
            assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
            task.cancel(false);

            assertThatThrownBy(() -> coordinator.capture(null, LOCK_TIMEOUT, List::copyOf))
                    .isInstanceOf(CheckpointException.class)
                    .hasMessageContaining("thread vt-test-cancelled-0 could not stop at a capturable point")
                    .hasMessageContaining("was cancelled while it runs, so running it again would not reach the "
                            + "application; a checkpoint waits until it ends");
        } finally {
            ProtocolProgram.stop = true;
            executor.shutdown();
            assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** Asks for a checkpoint from a Stasis-like thread, with {@code target} first in the cut, and waits until it is requested. */
    private CompletableFuture<List<ParkedThread>> checkpointFromOutside(Thread target) {
        CompletableFuture<List<ParkedThread>> cut = new CompletableFuture<>();
        new Thread(programGroup.getParent(), () -> {
            try {
                cut.complete(coordinator.capture(target, GENEROUS, List::copyOf).result());
            } catch (Throwable e) {
                cut.completeExceptionally(e);
            }
        }, "stasis-test-checkpointer").start();
        awaitRequested(installed.engine, cut);
        return cut;
    }
    private Thread startPlatform(String name, Runnable body) {
        Thread thread = new Thread(programGroup, body, name);
        started.add(thread);
        thread.start();
        return thread;
    }

    /** {@code Thread.ofVirtual().name(name).start(body)}, by reflection: this code is compiled for Java 17. */
    private Thread startVirtual(String name, Runnable body) throws ReflectiveOperationException {
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
        Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
        builder = ofVirtual.getMethod("name", String.class).invoke(builder, name);
        Thread thread = (Thread) ofVirtual.getMethod("start", Runnable.class).invoke(builder, body);
        started.add(thread);
        return thread;
    }

    /** {@code Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(prefix, 0).factory())}, by reflection. */
    private static ExecutorService virtualThreadPerTaskExecutor(String prefix) throws ReflectiveOperationException {
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
        Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
        builder = ofVirtual.getMethod("name", String.class, long.class).invoke(builder, prefix, 0L);
        ThreadFactory factory = (ThreadFactory)
                Class.forName("java.lang.Thread$Builder").getMethod("factory").invoke(builder);
        return (ExecutorService) Executors.class.getMethod("newThreadPerTaskExecutor",
                ThreadFactory.class).invoke(null, factory);
    }
}
