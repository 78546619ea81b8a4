package dev.stasis.agent.instrument.targets;

/** Nested loops, while/do loops, varargs calls, and a loop inside a switch expression with a value below it. */
public final class LoopsTarget {
    private LoopsTarget() {
    }

    public static String run() {
        int total = 0;
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                total += join(i, j, i * j);
            }
        }
        int w = 0;
        while (w < 5) {
            w++;
            if (w % 2 == 0) {
                continue;
            }
            total += w;
        }
        do {
            total += join();
            total += sum(1);
        } while (total < 60);
        String joined = format("%d-%d", total, w);
        int sw = 7 + switch (total % 3) {
            case 0 -> {
                int s = 0;
                for (int k = 0; k < 3; k++) {
                    s += sum(k);
                }
                yield s;
            }
            default -> {
                int s = 1;
                for (int k = 0; k < 2; k++) {
                    s *= 2 + sum(k);
                }
                yield s;
            }
        };
        return total + " " + joined + " " + sw;
    }

    static int join(int... xs) {
        int s = 0;
        for (int x : xs) {
            s += x;
        }
        return s;
    }

    static String format(String pattern, Object... args) {
        return String.format(pattern, args);
    }

    static int sum(int k) {
        int s = 0;
        for (int i = 0; i <= k; i++) {
            s += i;
        }
        return s;
    }
}
