package dev.stasis.agent.instrument.targets;

import java.util.function.Function;
import java.util.function.IntUnaryOperator;
import java.util.function.Supplier;

/** Lambdas and method references called from application code (their bodies are instrumented). */
public final class LambdaTarget {
    private final int offset;

    private LambdaTarget(int offset) {
        this.offset = offset;
    }

    public static String run() {
        IntUnaryOperator twice = x -> sum(x) * 2;
        Function<String, String> decorate = LambdaTarget::decorate;
        Supplier<Integer> chained = () -> twice.applyAsInt(3) + 1;
        LambdaTarget target = new LambdaTarget(100);
        IntUnaryOperator bound = target::shift;
        int r = twice.applyAsInt(4) + chained.get() + bound.applyAsInt(2);
        return r + " " + decorate.apply("a");
    }

    /** A lambda object, so a test can check it was linked as serializable. */
    public static Object lambda() {
        IntUnaryOperator op = x -> x + 1;
        return op;
    }

    private int shift(int x) {
        return offset + sum(x);
    }

    static String decorate(String s) {
        return "<" + s + sum(2) + ">";
    }

    static int sum(int k) {
        int s = 0;
        for (int i = 0; i <= k; i++) {
            s += i;
        }
        return s;
    }
}
