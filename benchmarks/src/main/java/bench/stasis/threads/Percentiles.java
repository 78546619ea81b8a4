package bench.stasis.threads;

import java.util.Arrays;

/** Nearest-rank percentiles of a sample: the value at rank ceil(p/100 * n) of the sorted sample. */
record Percentiles(int count, long p50, long p99, long max) {

    static Percentiles of(long[] sample) {
        if (sample.length == 0) {
            throw new IllegalArgumentException("no values to take percentiles of");
        }
        long[] sorted = sample.clone();
        Arrays.sort(sorted);
        return new Percentiles(sorted.length, rank(sorted, 50), rank(sorted, 99), sorted[sorted.length - 1]);
    }

    private static long rank(long[] sorted, int percent) {
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }
}
