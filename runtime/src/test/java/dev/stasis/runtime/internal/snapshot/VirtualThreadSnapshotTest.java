package dev.stasis.runtime.internal.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stasis.rt.Frame;
import dev.stasis.runtime.internal.snapshot.threads.JdkThreadFields;
import dev.stasis.runtime.internal.snapshot.threads.ThreadLocalMaps;
import dev.stasis.runtime.internal.snapshot.threads.ThreadLocalValue;
import dev.stasis.runtime.internal.snapshot.threads.VirtualThreadFields;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A virtual thread is written like a platform one and read back as a virtual thread of the same name, with its
 * task and thread locals. Runs on the JDK 25 pass of this module's tests; JDK 17 has no virtual threads.
 */
class VirtualThreadSnapshotTest {
    @TempDir
    Path dir;

    @BeforeEach
    void onlyWithVirtualThreads() {
        assumeTrue(VirtualThreadFields.supported(), "virtual threads exist on JDK 21 and later");
    }

    /** An application task, written field by field like any program object. */
    static final class Task implements Runnable {
        final List<String> log = new ArrayList<>();
        final String word;

        Task(String word) {
            this.word = word;
        }

        @Override
        public void run() {
            log.add(word + " on " + Thread.currentThread().getName() + ", virtual "
                    + VirtualThreadFields.isVirtual(Thread.currentThread()));
        }
    }

    @Test
    void an_unstarted_virtual_thread_comes_back_virtual_unstarted_with_its_name_and_task() throws Exception {
        Task task = new Task("hello");
        Thread thread = unstartedVirtual("vt-7", task);

        Object[] back = Snapshots.roundTrip(dir, thread, thread);

        Thread read = (Thread) back[0];
        assertThat(back[1]).as("one thread however often it is referenced").isSameAs(read);
        assertThat(read).isNotSameAs(thread);
        assertThat(VirtualThreadFields.isVirtual(read)).isTrue();
        assertThat(read.getName()).isEqualTo("vt-7");
        assertThat(read.getState()).isEqualTo(Thread.State.NEW);
        Task readTask = (Task) JdkThreadFields.task(read);
        assertThat(readTask).isNotSameAs(task);
        read.start();
        read.join(10_000);
        assertThat(readTask.log).containsExactly("hello on vt-7, virtual true");
    }

    @Test
    void an_ended_virtual_thread_comes_back_ended() throws Exception {
        Thread thread = unstartedVirtual("vt-done", new Task("done"));
        thread.start();
        thread.join();

        Thread read = Snapshots.roundTripOne(dir, thread);

        assertThat(VirtualThreadFields.isVirtual(read)).isTrue();
        assertThat(read.getState()).isEqualTo(Thread.State.TERMINATED);
        assertThatThrownBy(read::start).isInstanceOf(IllegalThreadStateException.class);
        read.join(); // returns at once
    }

    /** Sets two thread locals, then waits; recreated, it runs {@code probe} instead (set by the test). */
    static final class LocalsTask implements Runnable {
        transient ThreadLocal<String> reached;
        transient InheritableThreadLocal<String> inherited;
        transient CountDownLatch set;
        transient CountDownLatch end;
        transient Runnable probe;

        @Override
        public void run() {
            if (probe != null) {
                probe.run();
                return;
            }
            reached.set("kept");
            inherited.set("kept too");
            set.countDown();
            try {
                end.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void a_captured_virtual_thread_comes_back_virtual_with_its_thread_local_values() throws Exception {
        LocalsTask task = new LocalsTask();
        task.reached = new ThreadLocal<>();
        task.inherited = new InheritableThreadLocal<>();
        task.set = new CountDownLatch(1);
        task.end = new CountDownLatch(1);
        Thread captured = unstartedVirtual("vt-captured", task);
        captured.start();
        task.set.await();
        try {
            Frame frame = new Frame("a/Main.run()V", 1, 0, 0, 0, 0, 3);
            frame.refs[0] = task.reached;
            frame.refs[1] = task.inherited;
            frame.refs[2] = captured;
            SnapshotContent content = new SnapshotContent(List.of(),
                    List.of(new ThreadCapture("vt-captured", false, captured, List.of(frame))));

            SnapshotContent back = Snapshots.read(Snapshots.write(dir.resolve("s.stasis"), content));

            Thread recreated = back.threads().get(0).thread();
            Object[] refs = back.threads().get(0).frames().get(0).refs;
            assertThat(VirtualThreadFields.isVirtual(recreated)).isTrue();
            assertThat(recreated.getName()).isEqualTo("vt-captured");
            assertThat(recreated.getState()).isEqualTo(Thread.State.NEW);
            assertThat(refs[2]).as("a reference to the thread in a frame is the recreated thread").isSameAs(recreated);
            assertThat(back.threadLocals()).extracting(ThreadLocalValue::thread).containsOnly(recreated);
            assertThat(back.threadLocals()).extracting(ThreadLocalValue::value).containsExactlyInAnyOrder("kept", "kept too");

            // A resume puts them into the thread before it starts; the thread then sees them as its own.
            back.threadLocals().forEach(v -> ThreadLocalMaps.put(v.thread(), v.key(), v.value()));
            LocalsTask recreatedTask = (LocalsTask) JdkThreadFields.task(recreated);
            AtomicReference<List<Object>> seen = new AtomicReference<>();
            recreatedTask.probe = () -> seen.set(List.of(((ThreadLocal<?>) refs[0]).get(),
                    ((ThreadLocal<?>) refs[1]).get(), VirtualThreadFields.isVirtual(Thread.currentThread())));
            recreated.start();
            recreated.join(10_000);
            assertThat(seen.get()).containsExactly("kept", "kept too", true);
        } finally {
            task.end.countDown();
            captured.join();
        }
    }

    /** A task that waits until released; recreated, it returns {@code answer} instead (set by the test). */
    static final class WaitingTask implements Callable<String> {
        CountDownLatch started;
        CountDownLatch end;
        String answer = "original";
        boolean recreated;

        @Override
        public String call() throws InterruptedException {
            if (recreated) {
                return answer + " on " + Thread.currentThread().getName();
            }
            started.countDown();
            end.await();
            return "released";
        }
    }

    @Test
    void a_per_task_executor_comes_back_holding_its_recreated_threads_whose_futures_complete() throws Exception {
        ExecutorService executor = (ExecutorService)
                Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        WaitingTask task = new WaitingTask();
        task.started = new CountDownLatch(1);
        task.end = new CountDownLatch(1);
        Future<String> future = executor.submit(task);
        task.started.await();
        Thread running = threadsOf(executor).get(0);
        try {
            Frame frame = new Frame("a/Main.run()V", 1, 0, 0, 0, 0, 2);
            frame.refs[0] = executor;
            frame.refs[1] = future;
            SnapshotContent content = new SnapshotContent(List.of(), List.of(new ThreadCapture("main", true, new Thread("main"),
                    List.of(frame)), new ThreadCapture(running.getName(), false, running, List.of(
                    new Frame("a/Task.call()V", 1, 0, 0, 0, 0, 0)))));

            SnapshotContent back = Snapshots.read(Snapshots.write(dir.resolve("s.stasis"), content));

            Object[] refs = back.threads().get(0).frames().get(0).refs;
            ExecutorService readExecutor = (ExecutorService) refs[0];
            @SuppressWarnings("unchecked")
            Future<String> readFuture = (Future<String>) refs[1];
            Thread recreated = back.threads().get(1).thread();
            assertThat(readExecutor.getClass().getName()).isEqualTo("java.util.concurrent.ThreadPerTaskExecutor");
            assertThat(readExecutor).isNotSameAs(executor);
            assertThat(readExecutor.isShutdown()).isFalse();
            assertThat(threadsOf(readExecutor)).containsExactly(recreated);
            assertThat(VirtualThreadFields.isVirtual(recreated)).isTrue();
            assertThat(recreated.getName()).isEqualTo(running.getName());
            assertThat(readFuture.isDone()).isFalse();

            // A resume starts the thread: it runs the same future's task again, which completes that future.
            ((WaitingTask) taskOf(readFuture)).recreated = true;
            recreated.start();
            assertThat(readFuture.get(10, TimeUnit.SECONDS)).isEqualTo("original on "
                    + running.getName());
            readExecutor.shutdown();
            assertThat(readExecutor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            task.end.countDown();
            executor.shutdown();
            assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void a_shut_down_per_task_executor_comes_back_shut_down_and_terminates_once_its_threads_end() throws Exception {
        ExecutorService executor = (ExecutorService)
                Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        executor.shutdown();

        ExecutorService read = Snapshots.roundTripOne(dir, executor);

        assertThat(read.isShutdown()).isTrue();
        assertThat(read.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @SuppressWarnings("unchecked")
    private static List<Thread> threadsOf(ExecutorService executor) throws Exception {
        Field threads = executor.getClass().getDeclaredField("threads");
        threads.setAccessible(true);
        return new ArrayList<>((Set<Thread>) threads.get(executor));
    }

    private static Object taskOf(Future<?> future) throws Exception {
        Field callable = FutureTask.class.getDeclaredField("callable");
        callable.setAccessible(true);
        return callable.get(future);
    }

    /** {@code Thread.ofVirtual().name(name).unstarted(task)}, by reflection: this code is compiled for Java 17. */
    private static Thread unstartedVirtual(String name, Runnable task) throws ReflectiveOperationException {
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
        Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
        builder = ofVirtual.getMethod("name", String.class).invoke(builder, name);
        return (Thread) ofVirtual.getMethod("unstarted", Runnable.class).invoke(builder, task);
    }
}
