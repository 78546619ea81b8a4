package dev.stasis.runtime.internal.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stasis.runtime.internal.snapshot.executors.AsyncTaskAgain;
import dev.stasis.runtime.internal.snapshot.executors.RestoredPool;
import dev.stasis.runtime.internal.snapshot.executors.ScheduledTimes;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pools and futures in the heap: a {@code ThreadPoolExecutor} comes back as a new pool with its configuration,
 * queued tasks and worker names, without workers until a resume starts them; a {@code FutureTask} keeps its
 * state and result; what cannot be carried over is refused with its path.
 */
class ExecutorSnapshotTest {
    @TempDir
    Path dir;

    /** A queued task of the program, counting its runs. */
    static final class Count implements Callable<Integer> {
        int runs;

        @Override
        public Integer call() {
            return ++runs;
        }
    }

    @Test
    void a_pool_comes_back_with_its_configuration_and_queued_tasks_and_no_workers() throws Exception {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(2, 5, 7, TimeUnit.SECONDS, new ArrayBlockingQueue<>(10),
                new ThreadPoolExecutor.CallerRunsPolicy());
        pool.allowCoreThreadTimeOut(true);
        Count count = new Count();
        FutureTask<Integer> queued = new FutureTask<>(count);
        pool.getQueue().add(queued); // queued behind workers that do not exist yet: nothing runs it meanwhile

        SnapshotContent back = Snapshots.read(Snapshots.write(dir.resolve("pool.stasis"),
                Snapshots.frameHolding(pool, queued)));
        Object[] refs = back.threads().get(0).frames().get(0).refs;
        ThreadPoolExecutor poolBack = (ThreadPoolExecutor) refs[0];
        try {
            assertThat(poolBack).isNotSameAs(pool);
            assertThat(poolBack.getCorePoolSize()).isEqualTo(2);
            assertThat(poolBack.getMaximumPoolSize()).isEqualTo(5);
            assertThat(poolBack.getKeepAliveTime(TimeUnit.SECONDS)).isEqualTo(7);
            assertThat(poolBack.allowsCoreThreadTimeOut()).isTrue();
            assertThat(poolBack.getRejectedExecutionHandler()).isInstanceOf(ThreadPoolExecutor.CallerRunsPolicy.class);
            assertThat(poolBack.getQueue()).isInstanceOf(ArrayBlockingQueue.class).containsExactly((Runnable) refs[1]);
            assertThat(poolBack.getPoolSize()).as("no worker before a resume starts them").isZero();
            assertThat(back.pools()).extracting(RestoredPool::pool).containsExactly(poolBack);
            assertThat(back.pools().get(0).shutdown()).isFalse();

            poolBack.prestartAllCoreThreads(); // what a resume does for a queue that is not empty
            @SuppressWarnings("unchecked")
            FutureTask<Integer> queuedBack = (FutureTask<Integer>) refs[1];
            assertThat(queuedBack.get(10, TimeUnit.SECONDS)).as("the queued task ran once, on the restored pool")
                    .isEqualTo(1);
            assertThat(count.runs).as("the original task object was not run").isZero();
        } finally {
            poolBack.shutdownNow();
            pool.shutdownNow();
        }
    }

    @Test
    void workers_of_the_default_factory_keep_their_names_and_a_shut_down_pool_is_marked_so() throws Exception {
        ExecutorService single = Executors.newSingleThreadExecutor();
        ThreadPoolExecutor fixed = (ThreadPoolExecutor) Executors.newFixedThreadPool(2);
        String firstWorker = fixed.submit(() -> Thread.currentThread().getName()).get();
        fixed.shutdown();

        Object[] back = Snapshots.roundTrip(dir, single, fixed);
        ExecutorService singleBack = (ExecutorService) back[0];
        ThreadPoolExecutor fixedBack = (ThreadPoolExecutor) back[1];
        try {
            assertThat(singleBack.getClass()).as("the JDK's wrapper, around a restored pool").isEqualTo(single.getClass());
            assertThat(singleBack.submit(() -> 6 * 7).get(10, TimeUnit.SECONDS)).isEqualTo(42);
            String next = fixedBack.getThreadFactory().newThread(() -> { }).getName();
            String prefix = firstWorker.substring(0, firstWorker.lastIndexOf('-') + 1);
            assertThat(next).as("named as the pool's next worker would have been").isEqualTo(prefix + "2");
        } finally {
            single.shutdownNow();
            singleBack.shutdownNow();
            fixedBack.shutdownNow();
        }
    }

    @Test
    void a_future_task_keeps_its_result_or_its_failure() throws Exception {
        FutureTask<String> done = new FutureTask<>(() -> "result");
        done.run();
        FutureTask<String> failed = new FutureTask<>(() -> {
            throw new IllegalStateException("boom");
        });
        failed.run();

        Object[] back = Snapshots.roundTrip(dir, done, failed);

        assertThat(((FutureTask<?>) back[0]).get()).isEqualTo("result");
        assertThatThrownBy(() -> ((FutureTask<?>) back[1]).get()).hasCauseInstanceOf(IllegalStateException.class)
                .hasRootCauseMessage("boom");
    }

    @Test
    void a_quiescent_fork_join_pool_comes_back_with_its_configuration_and_the_common_pool_as_the_common_pool()
            throws Exception {
        ForkJoinPool custom = new ForkJoinPool(3, ForkJoinPool.defaultForkJoinWorkerThreadFactory, null, true);
        try {
            Object[] back = Snapshots.roundTrip(dir, ForkJoinPool.commonPool(), custom);
            ForkJoinPool customBack = (ForkJoinPool) back[1];
            assertThat(back[0]).isSameAs(ForkJoinPool.commonPool());
            assertThat(customBack).isNotSameAs(custom);
            assertThat(customBack.getParallelism()).isEqualTo(3);
            assertThat(customBack.getAsyncMode()).isTrue();
            assertThat(customBack.submit(() -> 6 * 7).get(10, TimeUnit.SECONDS)).isEqualTo(42);
            customBack.shutdownNow();
        } finally {
            custom.shutdownNow();
        }
    }

    @Test
    void a_fork_join_pool_with_work_running_is_refused() throws Exception {
        ForkJoinPool pool = new ForkJoinPool(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        try {
            pool.submit(() -> {
                release.await();
                return null;
            });
            assertThatThrownBy(() -> Snapshots.roundTrip(dir, pool)).isInstanceOf(UncapturableObjectException.class)
                    .hasMessageContaining("has work queued or running");
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    /** A delayed task of the program (the tests' own lambdas are not instrumented, so not serializable). */
    static final class Late implements Callable<String> {
        @Override
        public String call() {
            return "late";
        }
    }

    /** A periodic task of the program. */
    static final class Tick implements Runnable {
        @Override
        public void run() {
        }
    }

    @Test
    void a_scheduled_pool_comes_back_with_its_tasks_due_after_the_delay_they_had_left() throws Exception {
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1);
        pool.setRemoveOnCancelPolicy(true);
        ScheduledFuture<String> delayed = pool.schedule(new Late(), 2, TimeUnit.SECONDS);
        ScheduledFuture<?> periodic = pool.scheduleAtFixedRate(new Tick(), 1, 1, TimeUnit.HOURS);
        ScheduledThreadPoolExecutor poolBack = null;
        try {
            Object[] back = Snapshots.roundTrip(dir, pool, delayed, periodic);
            poolBack = (ScheduledThreadPoolExecutor) back[0];
            @SuppressWarnings("unchecked")
            ScheduledFuture<String> delayedBack = (ScheduledFuture<String>) back[1];
            ScheduledFuture<?> periodicBack = (ScheduledFuture<?>) back[2];
            poolBack.getQueue().forEach(ScheduledTimes::toThisJvm); // what a resume does once the program's clock goes on

            assertThat(poolBack.getQueue()).as("the program's futures are the queued tasks")
                    .containsExactlyInAnyOrder((Runnable) delayedBack, (Runnable) periodicBack);
            assertThat(poolBack.getRemoveOnCancelPolicy()).isTrue();
            assertThat(poolBack.getPoolSize()).as("no worker before a resume starts them").isZero();
            assertThat(delayedBack.getDelay(TimeUnit.MILLISECONDS)).as("due after what was left of 2 s")
                    .isBetween(1L, 2_000L);
            assertThat(periodicBack.getDelay(TimeUnit.MINUTES)).isBetween(50L, 60L);
            assertThat(((java.util.concurrent.RunnableScheduledFuture<?>) periodicBack).isPeriodic()).isTrue();

            poolBack.prestartAllCoreThreads();
            assertThat(delayedBack.get(10, TimeUnit.SECONDS)).isEqualTo("late");
        } finally {
            pool.shutdownNow();
            if (poolBack != null) {
                poolBack.shutdownNow();
            }
        }
    }

    /** What the program's stage functions and the stages after them did: shared by the originals and copies. */
    static final java.util.Queue<String> STAGE_CALLS = new java.util.concurrent.ConcurrentLinkedQueue<>();

    /** A stage function of the program. */
    record Times(int factor) implements java.util.function.Function<Integer, Integer> {
        @Override
        public Integer apply(Integer x) {
            STAGE_CALLS.add("times " + factor + " of " + x);
            return x * factor;
        }
    }

    /** A two-input stage function of the program. */
    record Multiply() implements java.util.function.BiFunction<Integer, Integer, Integer> {
        @Override
        public Integer apply(Integer x, Integer y) {
            STAGE_CALLS.add("multiply " + x + " " + y);
            return x * y;
        }
    }

    /** A handle function of the program. */
    record Describe() implements java.util.function.BiFunction<Integer, Throwable, String> {
        @Override
        public String apply(Integer x, Throwable failure) {
            STAGE_CALLS.add("describe " + x + " " + failure);
            return x + " " + failure;
        }
    }

    @Test
    void async_stages_queued_on_a_pool_come_back_in_its_queue_and_each_runs_once_on_the_restored_pool()
            throws Exception {
        STAGE_CALLS.clear();
        ThreadPoolExecutor pool = (ThreadPoolExecutor) Executors.newFixedThreadPool(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        pool.execute(() -> {
            try {
                release.await(); // the only worker is busy: the stages wait in the queue
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        CompletableFuture<Integer> pending = new CompletableFuture<>();
        CompletableFuture<Integer> applied = pending.thenApplyAsync(new Times(7), pool);
        CompletableFuture<Integer> afterApplied = applied.thenApply(new Times(2));
        CompletableFuture<Integer> combined = CompletableFuture.completedFuture(6)
                .thenCombineAsync(CompletableFuture.completedFuture(7), new Multiply(), pool);
        CompletableFuture<String> handled = CompletableFuture.<Integer>failedFuture(new IllegalStateException("boom"))
                .handleAsync(new Describe(), pool);
        pending.complete(6); // queued by the source's completion, the others at once
        ThreadPoolExecutor poolBack = null;
        try {
            assertThat(pool.getQueue()).hasSize(3);
            Object[] back = Snapshots.roundTrip(dir, pool, afterApplied, combined, handled);
            poolBack = (ThreadPoolExecutor) back[0];
            assertThat(poolBack.getQueue()).hasSize(3);
            assertThat(STAGE_CALLS).as("nothing ran before the resume").isEmpty();

            poolBack.prestartAllCoreThreads(); // what a resume does for a queue that is not empty
            assertThat(((CompletableFuture<?>) back[1]).get(10, TimeUnit.SECONDS)).isEqualTo(84);
            assertThat(((CompletableFuture<?>) back[2]).get(10, TimeUnit.SECONDS)).isEqualTo(42);
            assertThat(((CompletableFuture<?>) back[3]).get(10, TimeUnit.SECONDS))
                    .isEqualTo("null java.lang.IllegalStateException: boom");
            assertThat(STAGE_CALLS).containsExactlyInAnyOrder("times 7 of 6", "times 2 of 42", "multiply 6 7",
                    "describe null java.lang.IllegalStateException: boom");
        } finally {
            pool.shutdownNow(); // the originals never run: their worker is interrupted, the queue drained
            if (poolBack != null) {
                poolBack.shutdownNow();
            }
        }
    }

    /** A thenCompose function of the program whose stage completes later. */
    record Later(CompletableFuture<Integer> stage) implements java.util.function.Function<Integer,
            java.util.concurrent.CompletionStage<Integer>> {
        @Override
        public java.util.concurrent.CompletionStage<Integer> apply(Integer x) {
            return stage;
        }
    }

    @Test
    void a_resumed_compose_stage_waiting_for_the_stage_its_function_returned_survives_another_snapshot()
            throws Exception {
        CompletableFuture<Integer> returned = new CompletableFuture<>();
        CompletableFuture<Integer> failing = new CompletableFuture<>();
        CompletableFuture<Object> dependent = new CompletableFuture<>();
        CompletableFuture<Object> failed = new CompletableFuture<>();
        AsyncTaskAgain.oneInput(dependent, AsyncTaskAgain.Call.COMPOSE, new Later(returned), 6).run();
        AsyncTaskAgain.oneInput(failed, AsyncTaskAgain.Call.COMPOSE, new Later(failing), 6).run();
        assertThat(dependent).as("relayed only when the returned stage completes").isNotDone();

        Object[] back = Snapshots.roundTrip(dir, returned, dependent, failing, failed);
        @SuppressWarnings("unchecked")
        CompletableFuture<Integer> returnedBack = (CompletableFuture<Integer>) back[0];
        returnedBack.complete(7);
        ((CompletableFuture<?>) back[2]).completeExceptionally(new IllegalStateException("late failure"));

        assertThat(((CompletableFuture<?>) back[1]).get(10, TimeUnit.SECONDS)).isEqualTo(7);
        assertThatThrownBy(((CompletableFuture<?>) back[3])::join).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(IllegalStateException.class).hasRootCauseMessage("late failure");
        assertThat(dependent).as("the original, whose stage never completed").isNotDone();
    }

    /** A program's pool with hooks of its own. */
    static final class Hooked extends ThreadPoolExecutor {
        Hooked() {
            super(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1));
        }
    }

    @Test
    void a_subclass_of_the_pool_is_refused_with_its_path() {
        Hooked hooked = new Hooked();
        try {
            assertThatThrownBy(() -> Snapshots.roundTrip(dir, List.of(hooked)))
                    .isInstanceOf(UncapturableObjectException.class)
                    .hasMessageContaining("a subclass of ThreadPoolExecutor")
                    .hasMessageContaining(Hooked.class.getName());
        } finally {
            hooked.shutdownNow();
        }
    }
}
