package dev.stasis.agent.instrument.targets;

/**
 * Counted loops of many shapes (exclusive and inclusive bounds, steps above one, constant, local and
 * array-length bounds, break and continue, nested, empty), with bounds at the edges of the int range,
 * next to loops that move their own counter or bound: captured at their back-edges and rewound.
 */
public final class CountedLoopsTarget {
    static final int N = 20_000;

    private CountedLoopsTarget() {
    }

    public static String run() {
        long[] values = new long[N];
        for (int i = 0; i < values.length; i++) {
            values[i] = i;
        }
        for (int i = 1; i < values.length; i++) {
            values[i] += values[i - 1];
        }
        long inclusive = 0;
        int last = N - 1;
        for (int i = 0; i <= last; i += 3) {
            inclusive += i;
        }
        long constantBound = 0;
        for (int i = 5; i < 9_999; i++) {
            constantBound ^= i * 31L;
        }
        long nearMax = 0;
        for (int i = Integer.MAX_VALUE - 6_000; i < Integer.MAX_VALUE; i++) {
            nearMax += i & 7;
        }
        long nearMaxInclusive = 0;
        for (int i = Integer.MAX_VALUE - 5_000; i <= Integer.MAX_VALUE - 1; i++) {
            nearMaxInclusive += i & 3;
        }
        long fromMin = 0;
        for (int i = Integer.MIN_VALUE; i < Integer.MIN_VALUE + 7_000; i++) {
            fromMin += i & 5;
        }
        long enhanced = 0;
        for (long value : values) {
            enhanced += value & 0xFF;
        }
        long withBreak = 0;
        for (int i = 0; i < N; i++) {
            if (i == 12_345) {
                break;
            }
            if (i % 7 == 0) {
                continue;
            }
            withBreak += i;
        }
        long withCalls = 0;
        for (int i = 0; i < 1_000; i++) {
            withCalls += square(i);
        }
        return values[N - 1] + " " + inclusive + " " + constantBound + " " + nearMax + " " + nearMaxInclusive
                + " " + fromMin + " " + enhanced + " " + withBreak + " " + withCalls + " " + nested()
                + " " + emptyRanges() + " " + counterWrittenInBody() + " " + boundWrittenInBody();
    }

    static long square(int i) {
        return (long) i * i;
    }

    static long nested() {
        long total = 0;
        for (int i = 0; i < 150; i++) {
            for (int j = 0; j <= i; j++) {
                total += (long) i * j;
            }
        }
        return total;
    }

    static int emptyRanges() {
        int runs = 0;
        for (int i = 10; i < 10; i++) {
            runs++;
        }
        for (int i = 10; i <= 9; i++) {
            runs++;
        }
        for (int i = Integer.MAX_VALUE; i < Integer.MAX_VALUE; i++) {
            runs++;
        }
        return runs;
    }

    /** Not a counted loop: the body moves the counter itself. */
    static int counterWrittenInBody() {
        int steps = 0;
        for (int i = 0; i < 3_000; i++) {
            if ((i & 1) == 0) {
                i += 2;
            }
            steps++;
        }
        return steps;
    }

    /** Not a counted loop either: the bound shrinks inside the body. */
    static int boundWrittenInBody() {
        int steps = 0;
        int bound = 4_000;
        for (int i = 0; i < bound; i++) {
            bound--;
            steps++;
        }
        return steps;
    }
}
