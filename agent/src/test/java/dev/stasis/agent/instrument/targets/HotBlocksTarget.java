package dev.stasis.agent.instrument.targets;

/**
 * {@code synchronized} blocks with continuation points in them (a loop, calls into instrumented code, a wait on
 * the block's monitor; a block inside a {@code try}), run hot so the JIT compiles them.
 */
public final class HotBlocksTarget {
    private static final Object LOCK = new Object();
    private static boolean ready = true;

    private HotBlocksTarget() {
    }

    public static long blockWithCalls(int n) {
        long sum = 0;
        synchronized (LOCK) {
            for (int i = 0; i < n; i++) {
                sum += step(i);
            }
        }
        return sum;
    }

    public static long blockWithWait(int n) throws InterruptedException {
        long sum = n;
        synchronized (LOCK) {
            String inside = "x" + n;
            while (!ready) {
                LOCK.wait();
            }
            sum += step(n) + inside.length();
        }
        return sum;
    }

    /** A try around the block covers the block's code too: only the block's own catch-all is reached from it. */
    public static long blockInTry(int n) {
        try {
            synchronized (LOCK) {
                long sum = 0;
                for (int i = 0; i < n; i++) {
                    sum += step(i);
                }
                return sum;
            }
        } catch (IllegalStateException e) {
            return -1;
        }
    }

    private static int step(int i) {
        return i * 31 + 7;
    }
}
