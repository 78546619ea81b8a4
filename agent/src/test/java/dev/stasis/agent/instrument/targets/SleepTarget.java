package dev.stasis.agent.instrument.targets;

/** An application's sleeps and clock readings, with a local that must survive a capture in the sleep. */
public final class SleepTarget {
    /** How long {@link #run()} sleeps; a test sets it before running. */
    public static volatile long sleepMillis = 5;
    /** The clock when the constructor ran: constructors read the offset clock too. */
    public final long constructedAt = System.nanoTime();

    private SleepTarget() {
    }

    public static String run() {
        int before = 41;
        long start = System.nanoTime();
        try {
            Thread.sleep(sleepMillis);
            Thread.sleep(0, 1);
        } catch (InterruptedException e) {
            return "interrupted after " + before + ", flag " + Thread.currentThread().isInterrupted();
        }
        long slept = System.nanoTime() - start;
        return "slept " + (slept >= sleepMillis * 1_000_000 ? "enough" : "too little: " + slept) + " after " + (before + 1);
    }

    public static String negative() throws InterruptedException {
        try {
            Thread.sleep(-1);
            return "slept";
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    public static long constructed() {
        return new SleepTarget().constructedAt;
    }
}
