package dev.stasis.agent.instrument.targets;

import java.util.Arrays;

/** Every primitive kind, references, arrays and a null-typed local, live across calls and loops. */
public final class PrimitivesTarget {
    private PrimitivesTarget() {
    }

    public static String run() {
        boolean z = true;
        byte b = 7;
        char c = 'x';
        short s = 300;
        int i = 42;
        long l = 1L << 40;
        float f = 1.5f;
        double d = 2.25;
        String str = "s";
        int[] arr = {1, 2, 3};
        Object nothing = null;
        long[][] grid = new long[2][2];
        StringBuilder out = new StringBuilder();
        for (int k = 0; k < 3; k++) {
            l += mix(i, l, d);
            d = d * 2 + k;
            i = bump(i);
            arr[k] = bump(arr[k]);
            f += (float) twice(d);
            grid[k % 2][k % 2] += l;
            z = !z;
            b++;
            c++;
            s++;
            str = str + k;
            out.append(describe(nothing)).append(',');
        }
        return z + " " + b + " " + c + " " + s + " " + i + " " + l + " " + f + " " + d + " " + str + " "
                + Arrays.toString(arr) + " " + Arrays.deepToString(grid) + " " + out;
    }

    /** A leaf: no call point and no loop, so it is left untouched. */
    public static long mix(int i, long l, double d) {
        return i + (long) d + (l >>> 20);
    }

    static int bump(int x) {
        int r = x;
        for (int j = 0; j < 2; j++) {
            r += j + 1;
        }
        return r;
    }

    static double twice(double d) {
        return third(d) * 2;
    }

    static double third(double d) {
        return d / 3;
    }

    static String describe(Object o) {
        return echo(String.valueOf(o));
    }

    static String echo(String s) {
        return s;
    }
}
