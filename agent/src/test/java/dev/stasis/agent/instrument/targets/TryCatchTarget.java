package dev.stasis.agent.instrument.targets;

/** Calls inside try/catch/finally; the callee throws after it has been rewound. */
public final class TryCatchTarget {
    private static int finallyRuns;
    private static int caught;

    private TryCatchTarget() {
    }

    public static String run() {
        finallyRuns = 0;
        caught = 0;
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            try {
                log.append(risky(i)).append(';');
            } catch (IllegalArgumentException e) {
                caught++;
                log.append('c').append(e.getMessage()).append(';');
            } finally {
                finallyRuns++;
            }
        }
        int nested;
        try {
            try {
                nested = risky(2);
            } finally {
                finallyRuns += 10;
            }
        } catch (RuntimeException e) {
            nested = -1;
        }
        return log + " " + finallyRuns + " " + caught + " " + nested;
    }

    static int risky(int x) {
        int s = 0;
        for (int k = 0; k < 3; k++) {
            s += k;
        }
        if (x == 2) {
            throw new IllegalArgumentException("bad" + s);
        }
        return s + x;
    }
}
