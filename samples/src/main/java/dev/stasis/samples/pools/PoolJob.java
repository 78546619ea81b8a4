package dev.stasis.samples.pools;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A job that does its work on a thread pool: main hands out chunks of computation in waves and waits for their
 * results. Which pool and how the work is handed over is the first argument:
 * <ul>
 *   <li>{@code fixed}: {@code newFixedThreadPool(3)}; each wave is submitted at once, so tasks wait in the queue
 *       while three run; every fourth chunk goes through {@code execute}, and main waits for those on a latch;</li>
 *   <li>{@code cached}: {@code newCachedThreadPool()}; a task goes straight to an idle worker, or a new one;</li>
 *   <li>{@code single}: {@code newSingleThreadExecutor()}, one task at a time;</li>
 *   <li>{@code completable}: {@code CompletableFuture.supplyAsync} on a fixed pool;</li>
 *   <li>{@code stages}: each chunk a chain of {@code CompletableFuture} async stages on a fixed pool ({@code
 *       supplyAsync}, {@code thenApplyAsync}, {@code thenCombineAsync}, {@code thenComposeAsync}, {@code
 *       handleAsync}, {@code whenCompleteAsync}, {@code thenAcceptAsync}, {@code thenRunAsync}), its work split
 *       among them, so a checkpoint finds stages of every kind running and queued;</li>
 *   <li>{@code invokeall}: each wave through {@code invokeAll} on a fixed pool;</li>
 *   <li>{@code completion}: each wave through an {@code ExecutorCompletionService} on a fixed pool, results taken
 *       in the order they finish.</li>
 * </ul>
 * Every chunk (every step of a staged chunk) records that it ran, at its end; the last line gives the digest of
 * all results in order and whether every chunk (every step) ran exactly once. It is the same however often the
 * job was checkpointed, killed and resumed, or a task was lost, run twice, or its {@code Future} never completed.
 * Arguments: kind, chunks, the iterations of one chunk, chunks per wave.
 */
public final class PoolJob {
    private PoolJob() {
    }

    public static void main(String[] args) throws InterruptedException, ExecutionException {
        String kind = args[0];
        int chunks = Integer.parseInt(args[1]);
        long iterations = Long.parseLong(args[2]);
        int wave = Integer.parseInt(args[3]);
        ExecutorService pool = switch (kind) {
            case "fixed", "completable", "stages", "invokeall", "completion" -> Executors.newFixedThreadPool(3);
            case "cached" -> Executors.newCachedThreadPool();
            case "single" -> Executors.newSingleThreadExecutor();
            default -> throw new IllegalArgumentException("kind must be fixed, cached, single, completable, stages, "
                    + "invokeall or completion: " + kind);
        };
        Ledger ledger = new Ledger(chunks, kind.equals("stages") ? StagedChunk.STEPS : 1);
        System.out.println("started " + kind + " " + chunks);
        for (int first = 0; first < chunks; first += wave) {
            int end = Math.min(chunks, first + wave);
            switch (kind) {
                case "completable" -> runCompletableWave(pool, ledger, first, end, iterations);
                case "stages" -> runStagesWave(pool, ledger, first, end, iterations);
                case "invokeall" -> runInvokeAllWave(pool, ledger, first, end, iterations);
                case "completion" -> runCompletionWave(pool, ledger, first, end, iterations);
                default -> runWave(pool, ledger, first, end, iterations, kind.equals("fixed"));
            }
            System.out.println("wave done " + end);
        }
        pool.shutdown();
        boolean terminated = pool.awaitTermination(1, TimeUnit.MINUTES);
        // Computed before println: a checkpoint inside these calls must not find System.out on main's stack.
        long digest = ledger.digest();
        boolean eachRanOnce = ledger.eachRanOnce();
        System.out.println("RESULT digest " + digest + " of " + chunks + " chunks, each ran once " + eachRanOnce
                + ", pool terminated " + terminated);
    }

    private static void runWave(ExecutorService pool, Ledger ledger, int first, int end, long iterations,
                                boolean someByExecute) throws InterruptedException, ExecutionException {
        List<Future<Long>> futures = new ArrayList<>();
        List<Integer> submitted = new ArrayList<>();
        int executed = 0;
        for (int i = first; i < end; i++) {
            if (someByExecute && i % 4 == 3) {
                executed++;
            }
        }
        CountDownLatch executedDone = new CountDownLatch(executed);
        for (int i = first; i < end; i++) {
            Chunk chunk = new Chunk(i, iterations, ledger);
            if (someByExecute && i % 4 == 3) {
                pool.execute(() -> {
                    ledger.result(chunk.index, chunk.call());
                    executedDone.countDown();
                });
            } else {
                futures.add(pool.submit(chunk));
                submitted.add(i);
            }
        }
        for (int k = 0; k < futures.size(); k++) {
            ledger.result(submitted.get(k), futures.get(k).get());
        }
        executedDone.await();
    }

    private static void runCompletableWave(ExecutorService pool, Ledger ledger, int first, int end, long iterations)
            throws InterruptedException, ExecutionException {
        List<CompletableFuture<Long>> futures = new ArrayList<>();
        for (int i = first; i < end; i++) {
            Chunk chunk = new Chunk(i, iterations, ledger);
            futures.add(CompletableFuture.supplyAsync(chunk::call, pool));
        }
        for (int k = 0; k < futures.size(); k++) {
            ledger.result(first + k, futures.get(k).get());
        }
    }

    private static void runStagesWave(ExecutorService pool, Ledger ledger, int first, int end, long iterations)
            throws InterruptedException, ExecutionException {
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int i = first; i < end; i++) {
            futures.add(new StagedChunk(i, iterations, ledger).start(pool));
        }
        for (CompletableFuture<Void> future : futures) {
            future.get();
        }
    }

    private static void runInvokeAllWave(ExecutorService pool, Ledger ledger, int first, int end, long iterations)
            throws InterruptedException, ExecutionException {
        List<Chunk> chunks = new ArrayList<>();
        for (int i = first; i < end; i++) {
            chunks.add(new Chunk(i, iterations, ledger));
        }
        List<Future<Long>> futures = pool.invokeAll(chunks);
        for (int k = 0; k < futures.size(); k++) {
            ledger.result(first + k, futures.get(k).get());
        }
    }

    private static void runCompletionWave(ExecutorService pool, Ledger ledger, int first, int end, long iterations)
            throws InterruptedException, ExecutionException {
        CompletionService<long[]> service = new ExecutorCompletionService<>(pool);
        for (int i = first; i < end; i++) {
            Chunk chunk = new Chunk(i, iterations, ledger);
            service.submit(() -> new long[] {chunk.index, chunk.call()});
        }
        for (int taken = first; taken < end; taken++) {
            long[] indexAndResult = service.take().get();
            ledger.result((int) indexAndResult[0], indexAndResult[1]);
        }
    }

    /** One chunk of work: a deterministic function of its index that takes a while. */
    static final class Chunk implements java.util.concurrent.Callable<Long> {
        final int index;
        private final long iterations;
        private final Ledger ledger;

        Chunk(int index, long iterations, Ledger ledger) {
            this.index = index;
            this.iterations = iterations;
            this.ledger = ledger;
        }

        @Override
        public Long call() {
            long x = index + 1;
            long hits = 0;
            for (long i = 0; i < iterations; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
                if ((x >>> 48) == 0) {
                    hits++;
                }
            }
            ledger.ran(index);
            return x ^ hits;
        }
    }

    /**
     * One chunk's work as a chain of async stages on the pool, each step a share of the iterations: every stage
     * kind the chain uses has work in flight at some moment. Each step records that it ran; the chain stores the
     * chunk's result at its end.
     */
    static final class StagedChunk {
        static final int STEPS = 9;
        private final int index;
        private final long iterations;
        private final Ledger ledger;

        StagedChunk(int index, long iterations, Ledger ledger) {
            this.index = index;
            this.iterations = Math.max(1, iterations / STEPS);
            this.ledger = ledger;
        }

        CompletableFuture<Void> start(ExecutorService pool) {
            CompletableFuture<Long> side = CompletableFuture.supplyAsync(() -> step(0, ~index), pool);
            return CompletableFuture.supplyAsync(() -> step(1, index + 1), pool)
                    .thenApplyAsync(x -> step(2, x), pool)
                    .thenCombineAsync(side, (x, y) -> step(3, x ^ y), pool)
                    .thenComposeAsync(x -> CompletableFuture.completedFuture(step(4, x)), pool)
                    .handleAsync((x, failure) -> failure == null ? step(5, x) : -1L, pool)
                    .whenCompleteAsync((x, failure) -> ledger.extra(index, step(6, x)), pool)
                    .thenAcceptAsync(x -> ledger.result(index, step(7, x)), pool)
                    .thenRunAsync(() -> ledger.result(index, step(8, ledger.resultOf(index))), pool);
        }

        private long step(int step, long seed) {
            long x = seed * 31 + step;
            long hits = 0;
            for (long i = 0; i < iterations; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
                if ((x >>> 48) == 0) {
                    hits++;
                }
            }
            ledger.ran(index, step);
            return x ^ hits;
        }
    }

    /** Results by chunk (and what a chunk's side steps computed), and how often each step of each chunk ran. */
    static final class Ledger {
        private final long[] results;
        private final long[] extras;
        private final int steps;
        private final ConcurrentHashMap<Integer, Integer> runs = new ConcurrentHashMap<>();

        Ledger(int chunks, int steps) {
            results = new long[chunks];
            extras = new long[chunks];
            this.steps = steps;
        }

        void ran(int index) {
            ran(index, 0);
        }

        void ran(int index, int step) {
            runs.merge(index * steps + step, 1, Integer::sum);
        }

        synchronized void extra(int index, long value) {
            extras[index] = value;
        }

        synchronized long resultOf(int index) {
            return results[index];
        }

        synchronized void result(int index, long value) {
            results[index] = value;
        }

        synchronized long digest() {
            long digest = 17;
            for (long result : results) {
                digest = digest * 31 + result;
            }
            for (int i = 0; steps > 1 && i < extras.length; i++) {
                digest = digest * 31 + extras[i];
            }
            return digest;
        }

        boolean eachRanOnce() {
            for (int i = 0; i < results.length * steps; i++) {
                if (runs.getOrDefault(i, 0) != 1) {
                    return false;
                }
            }
            return true;
        }
    }
}
