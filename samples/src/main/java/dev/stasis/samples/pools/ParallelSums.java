package dev.stasis.samples.pools;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.LongStream;

/**
 * Rounds of fork/join work between stretches of plain work: each round sums a range with a parallel stream, on
 * the common pool or on a pool of the program's own, then folds the sum into a running total with a loop on
 * main. A checkpoint never captures a parallel stream half done: it waits until the pool is quiescent, which
 * it is between rounds. Arguments: common or custom, rounds, numbers summed in parallel per round, steps of
 * the loop per round. The last line is the same however often the job was checkpointed, killed and resumed.
 */
public final class ParallelSums {
    private ParallelSums() {
    }

    public static void main(String[] args) throws InterruptedException, ExecutionException {
        boolean custom = args[0].equals("custom");
        int rounds = Integer.parseInt(args[1]);
        long perRound = Long.parseLong(args[2]);
        long loopSteps = Long.parseLong(args[3]);
        ForkJoinPool pool = custom ? new ForkJoinPool(2) : ForkJoinPool.commonPool();
        long total = 17;
        for (int round = 0; round < rounds; round++) {
            System.out.println("round " + round);
            long from = round * perRound;
            long sum = pool.submit(() -> LongStream.range(from, from + perRound).parallel().map(ParallelSums::mix)
                    .sum()).get();
            for (long i = 0; i < loopSteps; i++) {
                total = total * 31 + mix(sum + i);
            }
        }
        if (custom) {
            pool.shutdown();
        }
        System.out.println("RESULT total " + total + " after " + rounds + " rounds");
    }

    static long mix(long x) {
        long z = x * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        return z ^ (z >>> 31);
    }
}
