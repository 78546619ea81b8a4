package dev.stasis.runtime.internal.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stasis.rt.Frame;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.Map;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UncapturableObjectTest {
    private static final String FRAME = "thread main, frame a/Main.main([Ljava/lang/String;)V @1";

    @TempDir
    Path dir;

    static final class Holder {
        Object thread;
        Object other;
    }

    record Exploding(Object value) {
        @Override
        public Object value() {
            throw new IllegalStateException("boom");
        }
    }

    static final class Link {
        Link next;
        Object payload;
    }

    private void write(SnapshotContent content) throws IOException {
        try (OutputStream out = Files.newOutputStream(dir.resolve("s.stasis"))) {
            SnapshotCodec.write(out, Snapshots.manifest(), content);
        }
    }

    private static SnapshotContent staticHolding(String className, String field, Object value) {
        return new SnapshotContent(List.of(new ClassStatics(className, List.of("ok", field), Arrays.asList(1, value))),
                List.of());
    }

    /** A thread that runs while the snapshot is written and that the snapshot does not capture (a JDK or Stasis thread). */
    private static final CountDownLatch END_RUNNING = new CountDownLatch(1);
    private static Thread running;

    @BeforeAll
    static void startARunningThread() {
        running = new Thread(() -> {
            try {
                END_RUNNING.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "running-elsewhere");
        running.setDaemon(true);
        running.start();
    }

    @AfterAll
    static void endTheRunningThread() throws InterruptedException {
        END_RUNNING.countDown();
        running.join(10_000);
    }

    private static final String NOT_CAPTURED = "(thread running-elsewhere is running but is not one of the application "
            + "threads this checkpoint captured";

    @Test
    void running_thread_in_a_static_field_is_refused_naming_the_field() {
        assertThatThrownBy(() -> write(staticHolding("a.B", "worker", running)))
                .isInstanceOf(UncapturableObjectException.class)
                .hasMessageStartingWith("cannot snapshot java.lang.Thread at static a.B.worker " + NOT_CAPTURED);
    }

    @Test
    void running_thread_deep_in_a_frame_is_refused_with_the_path_from_the_slot() {
        Holder holder = new Holder();
        holder.thread = running;
        List<Object> list = new ArrayList<>(List.of("x", "y", holder));

        assertThatThrownBy(() -> write(Snapshots.frameHolding("a", "b", "c", list)))
                .isInstanceOf(UncapturableObjectException.class)
                .hasMessageStartingWith("cannot snapshot java.lang.Thread at " + FRAME + ", ref slot 3 -> java.util.ArrayList[2] -> "
                        + Holder.class.getName() + ".thread " + NOT_CAPTURED);
    }

    @Test
    void path_through_maps_and_arrays_names_keys_and_indices() {
        Map<String, Object> map = new HashMap<>();
        map.put("files", new Object[] {"a", new FileInputStream(java.io.FileDescriptor.in)});

        assertThatThrownBy(() -> write(staticHolding("a.B", "registry", map)))
                .hasMessageStartingWith("cannot snapshot java.io.FileInputStream at static a.B.registry -> java.util.HashMap[files]"
                        + " -> java.lang.Object[1] (it is a stream on standard input (FileDescriptor.in)");
    }

    @Test
    void any_other_serialization_failure_names_the_object_and_the_cause() {
        Holder holder = new Holder();
        holder.other = new Exploding("v");

        assertThatThrownBy(() -> write(staticHolding("a.B", "holder", holder)))
                .isInstanceOf(UncapturableObjectException.class)
                .hasMessageStartingWith("cannot snapshot " + Exploding.class.getName() + " at static a.B.holder -> "
                        + Holder.class.getName() + ".other")
                .hasMessageContaining("boom");
    }

    @Test
    void refusal_deep_in_a_long_chain_shows_both_ends_of_the_path() throws Exception {
        Link head = new Link();
        Link tail = head;
        for (int i = 0; i < 1000; i++) {
            tail.next = new Link();
            tail = tail.next;
        }
        tail.payload = running;
        Throwable[] failure = new Throwable[1];
        Thread big = new Thread(null, () -> {
            try {
                write(Snapshots.frameHolding(head));
            } catch (Throwable e) {
                failure[0] = e;
            }
        }, "big-stack", 256L << 20);
        big.start();
        big.join();

        assertThat(failure[0]).isInstanceOf(UncapturableObjectException.class)
                .hasMessageStartingWith("cannot snapshot java.lang.Thread at " + FRAME + ", ref slot 0 -> " + Link.class.getName() + ".next")
                .hasMessageContaining(" -> ... (977 more) -> ")
                .hasMessageContaining(Link.class.getName() + ".payload " + NOT_CAPTURED);
    }

    @Test
    void a_failed_write_does_not_mention_objects_that_were_written_fine() {
        Frame frame = new Frame("a/B.run()V", 2, 0, 0, 0, 0, 2);
        frame.refs[0] = new ArrayList<>(List.of("fine"));
        frame.refs[1] = running;
        SnapshotContent content = new SnapshotContent(List.of(), List.of(CapturedThreads.other("t1", false, List.of(frame))));

        assertThatThrownBy(() -> write(content))
                .hasMessageStartingWith("cannot snapshot java.lang.Thread at thread t1, frame a/B.run()V @2, ref slot 1 "
                        + NOT_CAPTURED);
    }

    @Test
    void a_graph_too_deep_for_the_writing_thread_asks_for_a_larger_stack() throws Exception {
        List<Object> nested = new ArrayList<>();
        List<Object> innermost = nested;
        for (int i = 0; i < 200_000; i++) {
            List<Object> next = new ArrayList<>();
            innermost.add(next);
            innermost = next;
        }
        Throwable[] failure = new Throwable[1];
        Thread small = new Thread(null, () -> {
            try {
                write(Snapshots.frameHolding(nested));
            } catch (Throwable e) {
                failure[0] = e;
            }
        }, "small-stack", 256 << 10);
        small.start();
        small.join();

        assertThat(failure[0]).isInstanceOf(UncapturableObjectException.class)
                .hasMessageContaining("thread small-stack")
                .hasMessageContaining("larger stack");
    }

    @Test
    void loggers_and_paths_are_saved_by_name() throws IOException {
        Logger logger = Logger.getLogger("stasis.test.logger");
        Path path = Path.of("/tmp/some/file.txt");

        Object[] back = Snapshots.roundTrip(dir, logger, path);

        assertThat(back[0]).isSameAs(logger);
        assertThat(back[1]).isEqualTo(path);
    }
}
