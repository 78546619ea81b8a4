package bench.stasis.overhead;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The agent's cost while no checkpoint runs. {@link OverheadRunner} runs these same methods in
 * forks with and without {@code -javaagent}; this package is outside {@code dev.stasis}, so the
 * agent instruments it (and JMH's generated stubs) like any application.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class OverheadBenchmark {
    static final int FIB_N = 30;
    static final int ARRAY_LENGTH = 1 << 20;
    static final int COLLECTION_KEYS = 1 << 16;
    static final int ALLOCATIONS = 1 << 20;
    static final int PIGEONHOLE_HOLES = 7;
    static final int LOCK_ROUNDS = 1 << 16;
    static final int SYNCHRONIZED_BLOCKS = 1 << 12;
    static final int CALLS_PER_BLOCK = 16;

    private int[] ints;
    private long[] longs;
    private Integer[] keys;
    private final ReentrantLock lock = new ReentrantLock();
    private final Object monitor = new Object();

    @Setup
    public void setUp() {
        AgentPresence.verifyMatchesFork(Fibonacci.class, "fib(I)I");
        Random random = new Random(42);
        ints = random.ints(ARRAY_LENGTH).toArray();
        longs = random.longs(ARRAY_LENGTH).toArray();
        keys = new Integer[COLLECTION_KEYS];
        for (int i = 0; i < keys.length; i++) {
            // About half the keys repeat, so both the insert and the update paths of put run.
            keys[i] = random.nextInt(COLLECTION_KEYS / 2);
        }
    }

    @Benchmark
    public int fib30() {
        return Fibonacci.fib(FIB_N);
    }

    @Benchmark
    public long arraySumInt() {
        return ArrayLoops.sum(ints);
    }

    @Benchmark
    public long arrayPrefixSumLong() {
        return ArrayLoops.prefixSum(longs);
    }

    @Benchmark
    public long hashMapArrayList() {
        return CollectionWork.mapAndList(keys);
    }

    @Benchmark
    public long smallObjectAllocation() {
        return Allocation.churn(ALLOCATIONS);
    }

    @Benchmark
    public long lockUnlockUncontended() {
        return LockWork.lockedIncrements(lock, LOCK_ROUNDS);
    }

    @Benchmark
    public long synchronizedBlockCalls() {
        return LockWork.synchronizedBlocks(monitor, SYNCHRONIZED_BLOCKS, CALLS_PER_BLOCK);
    }

    @Benchmark
    public boolean sat4jPigeonhole() {
        return Pigeonhole.solve(PIGEONHOLE_HOLES);
    }
}
