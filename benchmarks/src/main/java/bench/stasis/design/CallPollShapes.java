package bench.stasis.design;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Which poll the instrumenter should generate at method entry and after each call, measured
 * without the agent on the worst case, recursive {@code fib(30)}: no poll, a volatile read at entry
 * and after each call (the first instrumenter), the same with a plain field, and a read of a
 * mutable call site's constant target (what {@code Stasis.isPending()} does now). Run it with the
 * command in docs/PERFORMANCE.md; it is not part of the overhead table because no agent is involved.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class CallPollShapes {
    static final int N = 30;
    static volatile boolean volatilePending;
    static boolean plainPending;

    @Benchmark
    public int noPoll() {
        return plain(N);
    }

    @Benchmark
    public int volatilePolls() {
        return withVolatile(N);
    }

    @Benchmark
    public int plainFieldPolls() {
        return withPlainField(N);
    }

    @Benchmark
    public int switchPolls() {
        return withSwitch(N);
    }

    static int plain(int n) {
        return n < 2 ? n : plain(n - 1) + plain(n - 2);
    }

    static int withVolatile(int n) {
        if (volatilePending) {
            slowPath();
        }
        if (n < 2) {
            return n;
        }
        int a = withVolatile(n - 1);
        if (volatilePending) {
            slowPath();
        }
        int b = withVolatile(n - 2);
        if (volatilePending) {
            slowPath();
        }
        return a + b;
    }

    static int withPlainField(int n) {
        if (plainPending) {
            slowPath();
        }
        if (n < 2) {
            return n;
        }
        int a = withPlainField(n - 1);
        if (plainPending) {
            slowPath();
        }
        int b = withPlainField(n - 2);
        if (plainPending) {
            slowPath();
        }
        return a + b;
    }

    static int withSwitch(int n) {
        if (SwitchPoll.pending()) {
            slowPath();
        }
        if (n < 2) {
            return n;
        }
        int a = withSwitch(n - 1);
        if (SwitchPoll.pending()) {
            slowPath();
        }
        int b = withSwitch(n - 2);
        if (SwitchPoll.pending()) {
            slowPath();
        }
        return a + b;
    }

    private static void slowPath() {
        throw new IllegalStateException("the flags are never set in this benchmark");
    }
}
