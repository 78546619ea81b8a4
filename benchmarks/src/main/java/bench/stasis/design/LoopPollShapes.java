package bench.stasis.design;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
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
 * Which shape of loop poll the instrumenter should generate, measured without the agent: the same
 * loop-carried prefix sum (the case that costs 4x under the agent today) with no poll, with a
 * volatile read on every back-edge (what the instrumenter emitted first), with the read of a mutable
 * call site's constant target on every back-edge (what it emits now), with the volatile read guarded
 * by a countdown, and strip-mined (an inner run of at most 4096 iterations without a poll, the poll
 * between runs). Run it with the command in docs/PERFORMANCE.md; it is not part of the overhead
 * table because no agent is involved.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class LoopPollShapes {
    /** The volatile flag the instrumenter used to read; never set, as while no checkpoint runs. */
    static volatile boolean pending;
    static final int STRIP = 4096;

    private long[] values;

    @Setup
    public void setUp() {
        values = new long[1 << 20];
    }

    @Benchmark
    public long noPoll() {
        long[] a = fresh();
        for (int i = 1; i < a.length; i++) {
            a[i] += a[i - 1];
        }
        return a[a.length - 1];
    }

    @Benchmark
    public long volatilePollEveryIteration() {
        long[] a = fresh();
        for (int i = 1; i < a.length; i++) {
            if (pending) {
                slowPath();
            }
            a[i] += a[i - 1];
        }
        return a[a.length - 1];
    }

    @Benchmark
    public long switchPollEveryIteration() {
        long[] a = fresh();
        for (int i = 1; i < a.length; i++) {
            if (SwitchPoll.pending()) {
                slowPath();
            }
            a[i] += a[i - 1];
        }
        return a[a.length - 1];
    }

    @Benchmark
    public long volatilePollEvery4096ByCountdown() {
        long[] a = fresh();
        int budget = STRIP;
        for (int i = 1; i < a.length; i++) {
            if (--budget == 0) {
                budget = STRIP;
                if (pending) {
                    slowPath();
                }
            }
            a[i] += a[i - 1];
        }
        return a[a.length - 1];
    }

    @Benchmark
    public long volatilePollStripMined() {
        long[] a = fresh();
        int i = 1;
        while (i < a.length) {
            int end = Math.min(a.length, i + STRIP);
            for (; i < end; i++) {
                a[i] += a[i - 1];
            }
            if (pending) {
                slowPath();
            }
        }
        return a[a.length - 1];
    }

    private long[] fresh() {
        Arrays.fill(values, 1L);
        return values;
    }

    private static void slowPath() {
        throw new IllegalStateException("pending is never set in this benchmark");
    }
}
