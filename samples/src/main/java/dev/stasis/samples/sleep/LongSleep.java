package dev.stasis.samples.sleep;

/**
 * Sleeps once, for the milliseconds given, and says how long the sleep took on the program's own
 * clock. Under the agent the sleep is a safepoint: a checkpoint taken meanwhile does not wait for it
 * to end, and a resumed run sleeps only what was left.
 */
public final class LongSleep {
    private LongSleep() {
    }

    public static void main(String[] args) throws InterruptedException {
        long millis = Long.parseLong(args[0]);
        long before = System.nanoTime();
        System.out.println("sleeping " + millis + " ms");
        Thread.sleep(millis);
        long after = System.nanoTime();
        System.out.println("woke after " + (after - before) / 1_000_000 + " ms");
    }
}
