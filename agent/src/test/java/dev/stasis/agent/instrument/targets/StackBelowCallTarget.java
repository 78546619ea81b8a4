package dev.stasis.agent.instrument.targets;

import java.util.Arrays;

/** Operand-stack values (int, long, double, references) below calls, string concatenation around calls. */
public final class StackBelowCallTarget {
    private StackBelowCallTarget() {
    }

    public static String run() {
        int a = 5;
        int r1 = a + f(a);
        long r2 = 10L * a + g(h(), f(a + 1));
        double r3 = 1.5 + dd(2.0) * (a - f(2));
        String r4 = "x" + f(a) + "-" + name(r1) + "/" + r2;
        String r5 = prefix(a) + name(f(3)) + r3;
        int[] arr = {f(1), f(2), f(3)};
        return r1 + " " + r2 + " " + r3 + " " + r4 + " " + r5 + " " + Arrays.toString(arr) + " " + cond(a);
    }

    static int f(int x) {
        int s = 0;
        for (int i = 0; i <= x; i++) {
            s += i;
        }
        return s;
    }

    static long g(long x, int y) {
        return x * 31 + f(y);
    }

    static long h() {
        return f(4);
    }

    static double dd(double x) {
        return x + f(1);
    }

    static String name(int x) {
        return "n" + f(x % 5);
    }

    static String prefix(int x) {
        return "p" + x;
    }

    static int cond(int a) {
        return a > 3 ? f(a) + f(1) : 0;
    }
}
