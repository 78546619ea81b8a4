package dev.stasis.runtime.internal.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.rt.Frame;
import dev.stasis.runtime.internal.snapshot.CapturedThreads;
import dev.stasis.runtime.internal.snapshot.Manifest;
import dev.stasis.runtime.internal.snapshot.SnapshotCodec;
import dev.stasis.runtime.internal.snapshot.SnapshotContent;
import dev.stasis.runtime.internal.snapshot.ThreadCapture;
import dev.stasis.runtime.internal.snapshot.executors.AsyncTaskAgain;
import dev.stasis.runtime.internal.snapshot.executors.PoolTask;
import java.io.OutputStream;
import java.lang.StackWalker.StackFrame;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A {@code CompletableFuture} async stage on a pool, captured while its function runs: inside the function, the
 * probe does what the engine does at a poll there ({@link PoolWorkerEntry#inspect} on the worker's own stack, then
 * the snapshot, written while the function is still running), the original run goes on to its end, and the stand-in
 * read back from the snapshot is run on the restored pool as a resume would. It must call the function once more
 * with the same input and complete the restored dependent future exactly as the JDK completed the original (value,
 * or the same failure), and the stage after it must run once.
 */
class AsyncStagesInFlightTest {
    /** What the program's functions and the stage after them did, in order: shared by the originals and copies. */
    static final ConcurrentLinkedQueue<String> CALLS = new ConcurrentLinkedQueue<>();

    @TempDir
    Path dir;

    private ThreadPoolExecutor pool;
    private ThreadPoolExecutor restoredPool;

    @BeforeEach
    void start() {
        CALLS.clear();
        Probe.reset();
        pool = (ThreadPoolExecutor) Executors.newFixedThreadPool(1);
    }

    @AfterEach
    void stop() {
        pool.shutdownNow();
        if (restoredPool != null) {
            restoredPool.shutdownNow();
        }
    }

    /** One stage kind: how the program makes it on two sources, what they complete with, what the function sees. */
    record Stage(String name, BiFunction<CompletableFuture<Integer>, CompletableFuture<Integer>,
            CompletableFuture<?>> make, Object first, Object second, String call, String outcome) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> stages() {
        return Stream.of(
                new Stage("thenApplyAsync", (a, b) -> a.thenApplyAsync(new Times(7), Probe.pool()), 6, null,
                        "times 6", "value 42"),
                new Stage("thenApplyAsync whose function throws", (a, b) -> a.thenApplyAsync(new Throws(),
                        Probe.pool()), 6, null, "throws 6",
                        "failed CompletionException <- IllegalArgumentException: no 6"),
                new Stage("thenAcceptAsync", (a, b) -> a.thenAcceptAsync(new Accept(), Probe.pool()), 6, null,
                        "accept 6", "value null"),
                new Stage("thenRunAsync", (a, b) -> a.thenRunAsync(new Run(), Probe.pool()), 6, null, "run",
                        "value null"),
                new Stage("handleAsync of a value", (a, b) -> a.handleAsync(new Handle(), Probe.pool()), 6, null,
                        "handle 6 null", "value handled 6"),
                new Stage("handleAsync of a failure", (a, b) -> a.handleAsync(new Handle(), Probe.pool()),
                        new IllegalStateException("source failed"),
                        null, "handle null IllegalStateException: source failed",
                        "value handled IllegalStateException"),
                new Stage("whenCompleteAsync of a value", (a, b) -> a.whenCompleteAsync(new WhenComplete(false),
                        Probe.pool()), 6, null, "when 6 null", "value 6"),
                new Stage("whenCompleteAsync of a failure, whose action throws too", (a, b) -> a.whenCompleteAsync(
                        new WhenComplete(true), Probe.pool()), new IllegalStateException("source failed"), null,
                        "when null IllegalStateException: source failed",
                        "failed CompletionException <- IllegalStateException: source failed "
                                + "(suppressed IllegalArgumentException: action failed)"),
                new Stage("thenComposeAsync", (a, b) -> a.thenComposeAsync(new Compose(false), Probe.pool()), 6,
                        null, "compose 6", "value 7"),
                new Stage("thenComposeAsync of a failed stage", (a, b) -> a.thenComposeAsync(new Compose(true),
                        Probe.pool()), 6, null, "compose 6",
                        "failed CompletionException <- IllegalArgumentException: composed 6"),
                new Stage("thenCombineAsync", (a, b) -> a.thenCombineAsync(b, new Combine(), Probe.pool()), 6, 7,
                        "combine 6 7", "value 42"),
                new Stage("thenAcceptBothAsync", (a, b) -> a.thenAcceptBothAsync(b, new AcceptBoth(),
                        Probe.pool()), 6, 7, "both 6 7", "value null"),
                new Stage("runAfterBothAsync", (a, b) -> a.runAfterBothAsync(b, new Run(), Probe.pool()), 6, 7,
                        "run", "value null"))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stages")
    void a_stage_captured_in_flight_resumes_calls_its_function_again_and_completes_as_the_jdk_did(Stage stage)
            throws Exception {
        Probe.use(pool, dir.resolve("stage.stasis"));
        CompletableFuture<Integer> first = new CompletableFuture<>();
        CompletableFuture<Integer> second = new CompletableFuture<>();
        CompletableFuture<?> dependent = stage.make().apply(first, second);
        CompletableFuture<String> after = dependent.handle(new After());
        Probe.holdForMain(dependent, after);
        complete(second, stage.second());
        complete(first, stage.first()); // the stage is queued to the pool now, or when the second source completes

        awaitDone(after); // not get: a waiting thread's Signaller in the graph would refuse the snapshot
        String original = outcome(dependent);
        assertThat(original).as("what the JDK completed the original with").isEqualTo(stage.outcome());
        assertThat(Probe.entry().refusal()).as("the capture's verdict").isNull();
        assertThat(Probe.entry().task().task()).isInstanceOf(AsyncTaskAgain.class);
        assertThat(CALLS).containsExactly(stage.call(), "after");

        CALLS.clear();
        SnapshotContent back = SnapshotCodec.readContent(Probe.snapshot(), getClass().getClassLoader());
        Object[] held = back.threads().get(0).frames().get(0).refs;
        PoolTask task = back.threads().get(1).poolTask();
        restoredPool = task.pool();
        Probe.use(restoredPool, null); // the resumed function is captured again, no snapshot written
        restoredPool.execute(task.task()); // what a resume does, with a worker of its own
        CompletableFuture<?> dependentBack = (CompletableFuture<?>) held[0];
        awaitDone((CompletableFuture<?>) held[1]);

        assertThat(dependentBack).isNotSameAs(dependent);
        assertThat(outcome(dependentBack)).as("the restored dependent future").isEqualTo(original);
        assertThat(CALLS).as("the function called again with the same input, the stage after it once")
                .containsExactly(stage.call(), "after");
        assertThat(Probe.entry().refusal()).as("a resumed stage is captured again").isNull();
        assertThat(Probe.entry().task().task()).as("as the same stand-in").isSameAs(task.task());
    }

    /**
     * The JDK's own task would skip its function for a dependent already complete, and the captured frames would
     * never be taken up: the stand-in calls the function anyway, and the program's completion stands.
     */
    @Test
    void the_function_is_called_again_even_when_the_program_completed_the_dependent_meanwhile() throws Exception {
        Probe.use(pool, dir.resolve("stage.stasis"));
        CompletableFuture<Integer> first = new CompletableFuture<>();
        CompletableFuture<Integer> dependent = first.thenApplyAsync(new Times(7), pool);
        Probe.holdForMain(dependent);
        first.complete(6);
        awaitDone(dependent);

        CALLS.clear();
        SnapshotContent back = SnapshotCodec.readContent(Probe.snapshot(), getClass().getClassLoader());
        @SuppressWarnings("unchecked")
        CompletableFuture<Integer> dependentBack = (CompletableFuture<Integer>) back.threads().get(0).frames().get(0)
                .refs[0];
        PoolTask task = back.threads().get(1).poolTask();
        restoredPool = task.pool();
        dependentBack.complete(-1); // say, an orTimeout of the program's, after the resume
        Probe.use(restoredPool, null);
        restoredPool.execute(task.task());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (Probe.entry() == null && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }

        assertThat(CALLS).containsExactly("times 6");
        assertThat(dependentBack.get()).isEqualTo(-1);
    }

    @Test
    void a_stage_run_by_another_stage_completing_on_the_worker_is_refused() throws Exception {
        Probe.use(pool, null);
        CompletableFuture<Integer> first = new CompletableFuture<>();
        CompletableFuture<Integer> later = first.thenApplyAsync(new Plain(), pool).thenApply(new Times(7));
        first.complete(6);

        assertThat(later.get(10, TimeUnit.SECONDS)).isEqualTo(42);
        assertThat(Probe.entry().refusal()).contains("not directly in the function of its UniApply stage")
                .contains("CompletableFuture.postFire");
    }

    @Test
    void stages_this_version_does_not_resume_are_refused_naming_those_it_does() throws Exception {
        Probe.use(pool, null);
        CompletableFuture<Integer> first = new CompletableFuture<>();
        CompletableFuture<Integer> neverDone = new CompletableFuture<>();
        CompletableFuture<Integer> either = first.applyToEitherAsync(neverDone, new Times(7), pool);
        first.complete(6);

        assertThat(either.get(10, TimeUnit.SECONDS)).isEqualTo(42);
        assertThat(Probe.entry().refusal()).contains("stage OrApply").contains("applyToEitherAsync")
                .contains("this version resumes thenApplyAsync, thenAcceptAsync, thenRunAsync, handleAsync, "
                        + "whenCompleteAsync, thenComposeAsync, thenCombineAsync");
    }

    @Test
    void a_stage_of_a_minimal_completion_stage_is_refused_as_its_future_cannot_be_completed_from_outside()
            throws Exception {
        Probe.use(pool, null);
        CompletableFuture<Integer> first = new CompletableFuture<>();
        CompletableFuture<Integer> applied = first.minimalCompletionStage().thenApplyAsync(new Times(7), pool)
                .toCompletableFuture();
        first.complete(6);

        awaitDone(applied);
        assertThat(applied.get()).isEqualTo(42);
        assertThat(Probe.entry()).as("inspected without an exception").isNotNull();
        assertThat(Probe.entry().refusal()).contains("a stage of a minimalCompletionStage");
    }

    private static void complete(CompletableFuture<Integer> source, Object with) {
        if (with instanceof Throwable failure) {
            source.completeExceptionally(failure);
        } else if (with != null) {
            source.complete((Integer) with);
        }
    }

    private static void awaitDone(CompletableFuture<?> future) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!future.isDone() && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertThat(future).as("done within 10 s").isDone();
    }

    /** The future's value, or its failure as the exception and its causes with their classes and messages. */
    private static String outcome(CompletableFuture<?> future) throws InterruptedException {
        try {
            return "value " + future.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            try {
                future.join();
                return "not failed on join";
            } catch (CompletionException joined) {
                Throwable cause = joined.getCause();
                String suppressed = Arrays.stream(cause.getSuppressed()).map(AsyncStagesInFlightTest::describe)
                        .collect(Collectors.joining(", "));
                return "failed CompletionException <- " + describe(cause)
                        + (suppressed.isEmpty() ? "" : " (suppressed " + suppressed + ")");
            }
        } catch (java.util.concurrent.TimeoutException e) {
            return "not complete";
        }
    }

    static String describe(Throwable t) {
        return t == null ? "null" : t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    /**
     * Where the engine's poll would be, inside the program's function on the worker: the first call with the probe
     * armed inspects the worker's stack as the engine does and, given a file, writes the snapshot there, with the
     * worker as a captured pool worker and the futures main holds.
     */
    static final class Probe {
        private static volatile ThreadPoolExecutor pool;
        private static volatile Path file;
        private static volatile Object[] heldByMain = new Object[0];
        private static volatile PoolWorkerEntry.Entry entry;
        private static volatile boolean armed;

        static void reset() {
            pool = null;
            file = null;
            heldByMain = new Object[0];
            entry = null;
            armed = false;
        }

        static void use(ThreadPoolExecutor executor, Path snapshot) {
            pool = executor;
            file = snapshot;
            entry = null;
            armed = true;
        }

        static ThreadPoolExecutor pool() {
            return pool;
        }

        static void holdForMain(Object... refs) {
            heldByMain = refs;
        }

        static PoolWorkerEntry.Entry entry() {
            return entry;
        }

        static Path snapshot() {
            return file;
        }

        static void checkpointHere() {
            if (!armed) {
                return;
            }
            armed = false;
            List<StackFrame> frames = StackWalker.getInstance().walk(s -> s.collect(Collectors.toList()));
            int applicationFrames = 0;
            while (frames.get(applicationFrames).getClassName().startsWith(AsyncStagesInFlightTest.class.getName())) {
                applicationFrames++;
            }
            PoolWorkerEntry.Entry found = PoolWorkerEntry.inspect(frames, applicationFrames);
            if (found.task() != null && file != null) {
                write(found.task());
            }
            entry = found;
        }

        private static void write(PoolTask task) {
            Frame frame = new Frame("a/Main.main([Ljava/lang/String;)V", 1, 0, 0, 0, 0, heldByMain.length);
            System.arraycopy(heldByMain, 0, frame.refs, 0, heldByMain.length);
            ThreadCapture worker = new ThreadCapture("pool-worker", false, new Thread("pool-worker"), List.of(), task);
            SnapshotContent content = new SnapshotContent(List.of(), List.of(CapturedThreads.main(List.of(frame)),
                    worker));
            Manifest manifest = new Manifest(Manifest.FORMAT_VERSION, "000001", "run-1", 1_700_000_000_000L, "0.1.0",
                    "17", "a.Main", List.of(), Map.of(), List.of(), List.of("main", "pool-worker"));
            try (OutputStream out = Files.newOutputStream(file)) {
                SnapshotCodec.write(out, manifest, content);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /** The program's functions: named classes, as a snapshot writes a lambda only if it is serializable. */
    record Times(int factor) implements Function<Integer, Integer> {
        @Override
        public Integer apply(Integer x) {
            CALLS.add("times " + x);
            Probe.checkpointHere();
            return x * factor;
        }
    }

    record Plain() implements Function<Integer, Integer> {
        @Override
        public Integer apply(Integer x) {
            return x;
        }
    }

    record Throws() implements Function<Integer, Integer> {
        @Override
        public Integer apply(Integer x) {
            CALLS.add("throws " + x);
            Probe.checkpointHere();
            throw new IllegalArgumentException("no " + x);
        }
    }

    record Accept() implements Consumer<Integer> {
        @Override
        public void accept(Integer x) {
            CALLS.add("accept " + x);
            Probe.checkpointHere();
        }
    }

    record Run() implements Runnable {
        @Override
        public void run() {
            CALLS.add("run");
            Probe.checkpointHere();
        }
    }

    record Handle() implements BiFunction<Integer, Throwable, String> {
        @Override
        public String apply(Integer x, Throwable failure) {
            CALLS.add("handle " + x + " " + (failure == null ? "null" : describe(failure)));
            Probe.checkpointHere();
            return "handled " + (failure == null ? x : failure.getClass().getSimpleName());
        }
    }

    record WhenComplete(boolean fails) implements BiConsumer<Integer, Throwable> {
        @Override
        public void accept(Integer x, Throwable failure) {
            CALLS.add("when " + x + " " + (failure == null ? "null" : describe(failure)));
            Probe.checkpointHere();
            if (fails) {
                throw new IllegalArgumentException("action failed");
            }
        }
    }

    record Compose(boolean failed) implements Function<Integer, CompletionStage<Integer>> {
        @Override
        public CompletionStage<Integer> apply(Integer x) {
            CALLS.add("compose " + x);
            Probe.checkpointHere();
            return failed ? CompletableFuture.failedFuture(new IllegalArgumentException("composed " + x))
                    : CompletableFuture.completedFuture(x + 1);
        }
    }

    record Combine() implements BiFunction<Integer, Integer, Integer> {
        @Override
        public Integer apply(Integer x, Integer y) {
            CALLS.add("combine " + x + " " + y);
            Probe.checkpointHere();
            return x * y;
        }
    }

    record AcceptBoth() implements BiConsumer<Integer, Integer> {
        @Override
        public void accept(Integer x, Integer y) {
            CALLS.add("both " + x + " " + y);
            Probe.checkpointHere();
        }
    }

    /** The program's next stage, run by the dependent's completion: it must run once after the resume. */
    record After() implements BiFunction<Object, Throwable, String> {
        @Override
        public String apply(Object value, Throwable failure) {
            CALLS.add("after");
            return value + " " + failure;
        }
    }
}
