package bench.stasis.overhead;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The workloads compute what they claim, so the JIT cannot have been handed dead code. */
class WorkloadsTest {

    @Test
    void fibonacci_of_thirty() {
        assertThat(Fibonacci.fib(30)).isEqualTo(832_040);
    }

    @Test
    void array_loops_sum_and_prefix_sum() {
        assertThat(ArrayLoops.sum(new int[] {1, 2, 3, Integer.MAX_VALUE})).isEqualTo(6L + Integer.MAX_VALUE);
        long[] values = {1, 2, 3, 4};
        assertThat(ArrayLoops.prefixSum(values)).isEqualTo(10);
        assertThat(values).containsExactly(1, 3, 6, 10);
    }

    @Test
    void collection_work_counts_repeated_keys() {
        // counts {1:2, 2:1}: entries give 1*2 + 2*1 = 4, hits give 2 + 2 + 1 = 5.
        assertThat(CollectionWork.mapAndList(new Integer[] {1, 1, 2})).isEqualTo(9);
    }

    @Test
    void lock_work_sums_its_rounds_and_leaves_the_lock_free() {
        java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
        assertThat(LockWork.lockedIncrements(lock, 4)).isEqualTo(6);
        assertThat(lock.isLocked()).isFalse();
    }

    @Test
    void allocation_keeps_the_last_ring_of_cells() {
        assertThat(Allocation.churn(8192)).isNotZero();
    }

    @Test
    void pigeonhole_instances_are_unsatisfiable() {
        assertThat(Pigeonhole.solve(3)).isFalse();
        assertThat(Pigeonhole.solve(OverheadBenchmark.PIGEONHOLE_HOLES)).isFalse();
    }
}
