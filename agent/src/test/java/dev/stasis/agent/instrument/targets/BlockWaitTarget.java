package dev.stasis.agent.instrument.targets;

/**
 * A wait in a {@code synchronized} block in the thread's bottom frame, which carries on in place after its
 * snapshot: back through the block's monitorenter, then into the wait again.
 */
public final class BlockWaitTarget {
    public static final Object MONITOR = new Object();
    /** The program's state the wait guards; a test sets it. */
    public static boolean ready;

    private BlockWaitTarget() {
    }

    public static String run() throws InterruptedException {
        int before = 41;
        synchronized (MONITOR) {
            String inside = "inside";
            while (!ready) {
                MONITOR.wait();
            }
            return "ready after " + (before + 1) + " " + inside + ", holds " + Thread.holdsLock(MONITOR);
        }
    }
}
