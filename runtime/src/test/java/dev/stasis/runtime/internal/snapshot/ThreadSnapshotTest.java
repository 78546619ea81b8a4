package dev.stasis.runtime.internal.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stasis.rt.Frame;
import dev.stasis.runtime.internal.snapshot.threads.JdkThreadFields;
import dev.stasis.runtime.internal.snapshot.threads.ThreadLocalMaps;
import dev.stasis.runtime.internal.snapshot.threads.ThreadLocalValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Threads are written as what identifies them to the program and read back as recreated, unstarted threads. */
class ThreadSnapshotTest {
    @TempDir
    Path dir;

    /** An application task, so it is written field by field like any program object. */
    static final class Task implements Runnable {
        final List<String> log;
        final String word;

        Task(List<String> log, String word) {
            this.log = log;
            this.word = word;
        }

        @Override
        public void run() {
            log.add(word + " on " + Thread.currentThread().getName());
        }
    }

    /** A thread of the program's own class, with its own state and a reference back to itself. */
    static final class Worker extends Thread {
        final List<String> log = new ArrayList<>();
        int rounds = 3;
        Worker self;

        Worker(String name) {
            super(name);
            self = this;
        }

        @Override
        public void run() {
            for (int i = 0; i < rounds; i++) {
                log.add(getName() + " round " + i + (self == this ? "" : " (wrong self)"));
            }
        }
    }

    @Test
    void a_plain_thread_comes_back_unstarted_with_its_name_group_flags_handler_and_task() throws Exception {
        List<String> log = new ArrayList<>();
        Thread.UncaughtExceptionHandler handler = new RecordingHandler();
        ThreadGroup group = new ThreadGroup("workers");
        Thread thread = new Thread(group, new Task(log, "hello"), "worker-7");
        thread.setDaemon(true);
        thread.setPriority(7);
        thread.setUncaughtExceptionHandler(handler);

        Object[] back = Snapshots.roundTrip(dir, thread, thread, handler);

        Thread read = (Thread) back[0];
        assertThat(back[1]).as("one thread however often it is referenced").isSameAs(read);
        assertThat(read).isNotSameAs(thread).hasFieldOrPropertyWithValue("name", "worker-7");
        assertThat(read.isDaemon()).isTrue();
        assertThat(read.getPriority()).isEqualTo(7);
        assertThat(read.getThreadGroup().getName()).isEqualTo("workers");
        assertThat(read.getState()).isEqualTo(Thread.State.NEW);
        assertThat(JdkThreadFields.ownHandler(read)).isSameAs(back[2]);
        Task task = (Task) JdkThreadFields.task(read); // read before it runs: a thread forgets its task when it ends
        read.start();
        read.join(10_000);
        assertThat(task.log).containsExactly("hello on worker-7");
    }

    @Test
    void a_subclass_comes_back_as_that_class_with_its_fields_and_runs() throws Exception {
        Worker worker = new Worker("worker-1");
        worker.rounds = 2;

        Worker read = (Worker) Snapshots.roundTripOne(dir, worker);

        assertThat(read).isNotSameAs(worker);
        assertThat(read.getName()).isEqualTo("worker-1");
        assertThat(read.self).isSameAs(read);
        read.start();
        read.join(10_000);
        assertThat(read.log).containsExactly("worker-1 round 0", "worker-1 round 1");
    }

    @Test
    void an_ended_thread_comes_back_ended() throws Exception {
        Worker worker = new Worker("done");
        worker.start();
        worker.join();

        Worker read = (Worker) Snapshots.roundTripOne(dir, worker);

        assertThat(read.getState()).isEqualTo(Thread.State.TERMINATED);
        assertThat(read.log).containsExactly("done round 0", "done round 1", "done round 2");
        assertThatThrownBy(read::start).isInstanceOf(IllegalThreadStateException.class);
        read.join(); // returns at once
    }

    @Test
    void the_captured_main_thread_reads_back_as_the_main_thread_of_the_reading_jvm() throws Exception {
        Thread recordedMain = new Thread("main");
        Frame frame = new Frame("a/Main.main([Ljava/lang/String;)V", 1, 0, 0, 0, 0, 1);
        frame.refs[0] = recordedMain;
        SnapshotContent content = new SnapshotContent(List.of(),
                List.of(new ThreadCapture("main", true, recordedMain, List.of(frame))));

        SnapshotContent back = Snapshots.read(Snapshots.write(dir.resolve("s.stasis"), content));

        Thread main = back.threads().get(0).thread();
        assertThat(main.getName()).isEqualTo("main");
        assertThat(main.isAlive()).as("the live main thread, not a recreated one").isTrue();
        assertThat(back.threads().get(0).frames().get(0).refs[0]).isSameAs(main);
    }

    /** Sets three thread locals, then waits; recreated, it runs {@code probe} instead (set by the test). */
    static final class LocalsThread extends Thread {
        transient ThreadLocal<String> reached;
        transient InheritableThreadLocal<String> inherited;
        transient ThreadLocal<String> unreached;
        transient CountDownLatch set;
        transient CountDownLatch end;
        transient Runnable probe;

        LocalsThread() {
            super("captured");
        }

        @Override
        public void run() {
            if (probe != null) {
                probe.run();
                return;
            }
            reached.set("kept");
            inherited.set("kept too");
            unreached.set("dropped");
            set.countDown();
            awaitQuietly(end);
        }
    }

    @Test
    void thread_local_values_are_kept_when_the_program_can_reach_the_thread_local() throws Exception {
        LocalsThread captured = new LocalsThread();
        captured.reached = new ThreadLocal<>();
        captured.inherited = new InheritableThreadLocal<>();
        captured.unreached = new ThreadLocal<>();
        captured.set = new CountDownLatch(1);
        captured.end = new CountDownLatch(1);
        captured.start();
        captured.set.await();
        try {
            Frame frame = new Frame("a/Main.run()V", 1, 0, 0, 0, 0, 2);
            frame.refs[0] = captured.reached;
            frame.refs[1] = captured.inherited;
            SnapshotContent content = new SnapshotContent(List.of(),
                    List.of(new ThreadCapture("captured", false, captured, List.of(frame))));

            SnapshotContent back = Snapshots.read(Snapshots.write(dir.resolve("s.stasis"), content));

            LocalsThread recreated = (LocalsThread) back.threads().get(0).thread();
            Object[] refs = back.threads().get(0).frames().get(0).refs;
            assertThat(back.threadLocals()).extracting(ThreadLocalValue::thread).containsOnly(recreated);
            assertThat(back.threadLocals()).extracting(v -> (Object) v.key()).containsExactlyInAnyOrder(refs[0], refs[1]);
            assertThat(back.threadLocals()).extracting(ThreadLocalValue::value).containsExactlyInAnyOrder("kept", "kept too");

            // A resume puts them into the thread before it starts; the thread then sees them as its own.
            back.threadLocals().forEach(v -> ThreadLocalMaps.put(v.thread(), v.key(), v.value()));
            AtomicReference<List<Object>> seen = new AtomicReference<>();
            recreated.probe = () -> seen.set(List.of(((ThreadLocal<?>) refs[0]).get(), ((ThreadLocal<?>) refs[1]).get()));
            recreated.start();
            recreated.join(10_000);
            assertThat(seen.get()).containsExactly("kept", "kept too");
        } finally {
            captured.end.countDown();
            captured.join();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static final class RecordingHandler implements Thread.UncaughtExceptionHandler {
        final List<Throwable> seen = new ArrayList<>();

        @Override
        public void uncaughtException(Thread t, Throwable e) {
            seen.add(e);
        }
    }
}
