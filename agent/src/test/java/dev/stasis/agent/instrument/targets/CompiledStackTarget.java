package dev.stasis.agent.instrument.targets;

/**
 * A stack of recursive frames that the JIT has compiled by the time a capture starts at its
 * bottom: the test runs it many times first, then lets {@link #atBottom} ask for a capture. Every
 * caller on the stack then has an after-call check that was compiled while no thread unwound.
 */
public final class CompiledStackTarget {
    /** Set by the test; called once per run at the bottom of the recursion. */
    public static Runnable atBottom = () -> { };

    private CompiledStackTarget() {
    }

    public static String run() {
        return String.valueOf(descend(40));
    }

    static long descend(int depth) {
        if (depth == 0) {
            return bottom();
        }
        long below = descend(depth - 1);
        return below * 31 + depth;
    }

    static long bottom() {
        atBottom.run();
        long acc = 7;
        for (int i = 0; i < 100; i++) {
            acc = acc * 17 + i;
        }
        return acc;
    }
}
