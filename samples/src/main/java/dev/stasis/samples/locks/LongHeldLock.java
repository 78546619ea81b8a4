package dev.stasis.samples.locks;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A thread that keeps a lock far longer than a checkpoint is willing to wait: {@code holder} takes a
 * {@code ReentrantLock} (or, with {@code monitor}, the monitor of a {@code synchronized} block) and counts
 * inside it for the given number of seconds before letting go. A checkpoint requested meanwhile cannot
 * stop it (a thread is captured only outside its critical sections), so it must fail after its timeout,
 * naming the thread, the lock and the frame, and the program must finish exactly as it would have.
 * With {@code methodref} the lock is taken and given back through method references ({@code LOCK::lock}), whose
 * lambda proxies Stasis never instruments: the thread stops at its polls as if it held nothing, and the
 * checkpoint must fail at the cut instead, where Stasis asks the JVM once which stopped thread owns a lock.
 *
 * <p>Arguments: {@code lock|monitor|methodref} and seconds to hold. Prints {@code holding}, then
 * {@code RESULT kind=... rounds=... sum=...}; {@code sum} depends only on {@code rounds}.
 */
public final class LongHeldLock {
    private static final ReentrantLock LOCK = new ReentrantLock();
    private static final Object MONITOR = new Object();

    private LongHeldLock() {
    }

    public static void main(String[] args) throws InterruptedException {
        String kind = args.length > 0 ? args[0] : "lock";
        long seconds = args.length > 1 ? Long.parseLong(args[1]) : 8;
        if (!kind.equals("lock") && !kind.equals("monitor") && !kind.equals("methodref")) {
            System.err.println("usage: LongHeldLock lock|monitor|methodref <seconds>");
            System.exit(2);
        }
        long[] result = new long[2];
        Thread holder = new Thread(() -> {
            switch (kind) {
                case "lock" -> holdLock(seconds, result);
                case "monitor" -> holdMonitor(seconds, result);
                default -> holdLockThroughMethodReferences(seconds, result);
            }
        }, "holder");
        holder.start();
        holder.join();
        System.out.println("RESULT kind=" + kind + " rounds=" + result[0] + " sum=" + result[1]);
    }

    private static void holdLock(long seconds, long[] result) {
        LOCK.lock();
        try {
            System.out.println("holding");
            countFor(seconds, result);
        } finally {
            LOCK.unlock();
        }
    }

    private static void holdLockThroughMethodReferences(long seconds, long[] result) {
        Runnable take = LOCK::lock;
        Runnable release = LOCK::unlock;
        take.run();
        try {
            System.out.println("holding");
            countFor(seconds, result);
        } finally {
            release.run();
        }
    }

    private static void holdMonitor(long seconds, long[] result) {
        synchronized (MONITOR) {
            System.out.println("holding");
            countFor(seconds, result);
        }
    }

    /** Counts whole rounds of a fixed sum until the time is up, sleeping between them. */
    private static void countFor(long seconds, long[] result) {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            long sum = 0;
            for (int i = 1; i <= 1000; i++) {
                sum += i;
            }
            result[0]++;
            result[1] += sum;
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
