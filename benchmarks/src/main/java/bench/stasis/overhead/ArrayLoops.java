package bench.stasis.overhead;

/** Tight loops without calls: under the agent each back-edge reads the pending flag. */
final class ArrayLoops {
    private ArrayLoops() {
    }

    static long sum(int[] values) {
        long sum = 0;
        for (int i = 0; i < values.length; i++) {
            sum += values[i];
        }
        return sum;
    }

    /** In-place running sum: a loop-carried dependency the JIT cannot vectorise away. */
    static long prefixSum(long[] values) {
        for (int i = 1; i < values.length; i++) {
            values[i] += values[i - 1];
        }
        return values[values.length - 1];
    }
}
