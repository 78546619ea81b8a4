package dev.stasis.agent.instrument.targets;

import java.util.Date;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An application's waits that return holding a lock: a monitor wait in a {@code synchronized} method,
 * condition waits under a {@code ReentrantLock}, a barrier wait, and monitor waits in {@code synchronized}
 * blocks (captured in the block on the waited monitor; refused inside two). Each keeps a local that must survive a capture in the wait.
 */
public final class WaitTarget {
    public static final ReentrantLock LOCK = new ReentrantLock();
    public static final Condition SIGNALLED = LOCK.newCondition();
    public static volatile CyclicBarrier barrier = new CyclicBarrier(2);
    /** The monitor {@link #block()} waits on inside a {@code synchronized} block. */
    public static final Object BLOCK_MONITOR = new Object();
    /** The program's states the waits guard; a test sets them. */
    public static boolean ready;
    public static boolean signalled;
    /** What {@link #run()} waits in; a test sets it. */
    public static volatile String mode = "monitor";

    private WaitTarget() {
    }

    public static String run() throws Exception {
        return switch (mode) {
            case "monitor" -> monitor();
            case "condition" -> condition();
            case "barrier" -> barrier();
            case "block" -> block();
            default -> throw new IllegalStateException(mode);
        };
    }

    public static synchronized String monitor() throws InterruptedException {
        int before = 41;
        while (!ready) {
            WaitTarget.class.wait();
        }
        return "ready after " + (before + 1) + ", holds " + Thread.holdsLock(WaitTarget.class);
    }

    public static String block() throws InterruptedException {
        int before = 41;
        synchronized (BLOCK_MONITOR) {
            String inside = "inside";
            while (!ready) {
                BLOCK_MONITOR.wait();
            }
            return "ready after " + (before + 1) + " " + inside + ", holds " + Thread.holdsLock(BLOCK_MONITOR);
        }
    }

    public static String condition() throws InterruptedException {
        int before = 41;
        LOCK.lock();
        try {
            while (!signalled) {
                SIGNALLED.await();
            }
            return "signalled after " + (before + 1) + ", holds " + LOCK.getHoldCount();
        } finally {
            LOCK.unlock();
        }
    }

    public static String barrier() throws Exception {
        int before = 41;
        int index = barrier.await();
        return "index " + index + " after " + (before + 1);
    }

    /** Every form, for the instrumenter's view; never run. */
    public static long allForms(Object monitor) throws Exception {
        LOCK.lock();
        try {
            SIGNALLED.awaitUninterruptibly();
            long left = SIGNALLED.awaitNanos(5);
            boolean inTime = SIGNALLED.await(5, TimeUnit.MILLISECONDS) && SIGNALLED.awaitUntil(new Date());
            monitor.wait(1);
            monitor.wait(1, 2);
            return left + barrier.await(5, TimeUnit.MILLISECONDS) + (inTime ? 1 : 0);
        } finally {
            LOCK.unlock();
        }
    }

    /** A timed monitor wait inside a synchronized block on the same monitor: its block form. */
    public static void inBlock(Object monitor) throws InterruptedException {
        synchronized (monitor) {
            monitor.wait(1);
        }
    }

    /** Waits inside two blocks: the plain form, a thread is never captured there (the outer block stays held). */
    public static void nestedBlocks(Object outer, Object monitor) throws InterruptedException {
        synchronized (outer) {
            synchronized (monitor) {
                monitor.wait(1);
            }
        }
    }
}
