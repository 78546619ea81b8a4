package dev.stasis.samples.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.LongBinaryOperator;

/** Everything the job computes with; {@link #checksum()} folds all of it into one number. */
final class JobState {

    private static final int GRID = 32;
    private static final int ACCOUNTS = 500;
    private static final int RECENT = 64;

    private final Random random;
    private final Ledger ledger = new Ledger(ACCOUNTS);
    private final List<Long> recent = new ArrayList<>();
    private final TreeMap<Long, Integer> buckets = new TreeMap<>();
    private final long[] accumulators = new long[64];
    private final double[] weights = new double[16];
    private final int[][] grid = new int[GRID][GRID];
    private final long[] stageTotals = new long[4];
    // A non-capturing lambda held in a field for the whole run.
    private final LongBinaryOperator mixer = (a, b) -> Long.rotateLeft(a ^ (b * 0x9E3779B97F4A7C15L), 17) + b;
    private long running;

    JobState(long seed) {
        this.random = new Random(seed);
    }

    void work(int stage, long step, int salt) {
        int draw = random.nextInt(1 << 20);
        long value = mixer.applyAsLong(draw ^ salt, step);
        int[] row = grid[(int) Math.floorMod(value, (long) GRID)];
        row[(int) (step % GRID)] += draw & 0xff;
        long folded = fold(row, 0, row.length);
        accumulators[(int) Math.floorMod(folded, (long) accumulators.length)] += value;
        int w = stage * 4 + (draw & 3);
        weights[w] = weights[w] * 0.999 + (draw & 1023) / 1024.0;
        ledger.post(draw % ACCOUNTS, value & 0xffff);
        remember(value);
        Long bucket = value >>> 58;
        buckets.put(bucket, buckets.getOrDefault(bucket, 0) + 1);
        running = mixer.applyAsLong(running, folded);
    }

    void closeStage(int stage) {
        stageTotals[stage] = running;
    }

    long runningChecksum() {
        return running;
    }

    long checksum() {
        long sum = running;
        for (long a : accumulators) {
            sum = mixer.applyAsLong(sum, a);
        }
        for (double w : weights) {
            sum = mixer.applyAsLong(sum, Double.doubleToLongBits(w));
        }
        for (int[] row : grid) {
            sum = mixer.applyAsLong(sum, fold(row, 0, row.length));
        }
        for (long total : stageTotals) {
            sum = mixer.applyAsLong(sum, total);
        }
        for (Long value : recent) {
            sum = mixer.applyAsLong(sum, value);
        }
        for (var bucket : buckets.entrySet()) {
            sum = mixer.applyAsLong(sum, bucket.getKey() * 1_000_003 + bucket.getValue());
        }
        sum = mixer.applyAsLong(sum, ledger.digest());
        return mixer.applyAsLong(sum, random.nextLong());
    }

    private void remember(long value) {
        recent.add(value);
        if (recent.size() > RECENT) {
            recent.remove(0);
        }
    }

    /** A recursive, order-sensitive fold of {@code cells[from, to)}: recursion log2(n) deep. */
    private static long fold(int[] cells, int from, int to) {
        if (to - from <= 2) {
            long leaf = 17;
            for (int i = from; i < to; i++) {
                leaf = leaf * 131 + cells[i];
            }
            return leaf;
        }
        int middle = (from + to) >>> 1;
        long left = fold(cells, from, middle);
        long right = fold(cells, middle, to);
        return Long.rotateLeft(left, 7) * 31 + right;
    }
}
