package dev.stasis.samples.waits;

import dev.stasis.samples.virtualthreads.VirtualThreadFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Waits once, for the milliseconds given, in a wait that returns holding a lock: {@code condition} (a
 * timed {@code Condition.awaitNanos} loop under a fair {@code ReentrantLock} held twice), {@code monitor}
 * (a timed {@code Object.wait} loop in a {@code synchronized} method) or {@code barrier} (a timed
 * {@code CyclicBarrier.await} no other party comes to), {@code block} (a timed {@code Object.wait} loop
 * inside a {@code synchronized} block on the waited monitor), {@code virtual-block} (the same on a virtual
 * thread the main thread joins; JDK 21 and later) or {@code nested} (the same {@code block} called from inside
 * another {@code synchronized} block, which stays held while the inner wait waits). Nobody signals: each wait ends at its deadline, and
 * the program says how long it took on its own clock and what it holds then. Under the agent each wait is
 * a safepoint: a checkpoint taken meanwhile does not wait for it, the lock is saved unlocked, and a resumed
 * run takes it back and waits only what was left. In {@code nested} a checkpoint fails, naming the thread,
 * the outer block's monitor and the frame, and the program finishes as it would have.
 *
 * <p>{@code signalled <file>} waits on the condition without a timeout until a thread named
 * {@code stasis-signaller} (so the agent does not count it as the program's) sees {@code file} appear,
 * then signals: the file is the first snapshot, so the signal comes after a checkpoint captured the
 * waiting thread and let it go on.
 */
public final class LockedWait {
    private static final ReentrantLock LOCK = new ReentrantLock(true);
    private static final Condition NEVER_SIGNALLED = LOCK.newCondition();
    private static final CyclicBarrier NOBODY_ELSE = new CyclicBarrier(2);
    private static final Object MONITOR = new Object();
    private static final Object OUTER = new Object();

    private LockedWait() {
    }

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        if (kind.equals("signalled")) {
            System.out.println("waiting for a signal");
            String signalled = signalled(Path.of(args[1])); // not inside println: System.out would be in the frame
            System.out.println(signalled);
            return;
        }
        long millis = Long.parseLong(args[1]);
        System.out.println("waiting " + millis + " ms: " + kind);
        long before = System.nanoTime();
        String holding = switch (kind) {
            case "condition" -> condition(millis);
            case "monitor" -> monitor(millis);
            case "barrier" -> barrier(millis);
            case "block" -> block(millis);
            case "virtual-block" -> onVirtualThread(millis);
            case "nested" -> nested(millis);
            default -> throw new IllegalArgumentException("unknown wait " + kind
                    + ": condition, monitor, barrier, block, virtual-block or nested");
        };
        long after = System.nanoTime();
        System.out.println("waited " + (after - before) / 1_000_000 + " ms");
        System.out.println(holding);
    }

    private static String condition(long millis) throws InterruptedException {
        LOCK.lock();
        LOCK.lock();
        try {
            long left = TimeUnit.MILLISECONDS.toNanos(millis);
            while (left > 0) { // a spurious wake-up only goes round again
                left = NEVER_SIGNALLED.awaitNanos(left);
            }
            return "condition: holds " + LOCK.getHoldCount() + ", fair " + LOCK.isFair() + ", waiters "
                    + LOCK.getWaitQueueLength(NEVER_SIGNALLED);
        } finally {
            LOCK.unlock();
            LOCK.unlock();
        }
    }

    private static synchronized String monitor(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            LockedWait.class.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
        }
        return "monitor: holds " + Thread.holdsLock(LockedWait.class);
    }

    private static boolean ready;

    private static String signalled(Path snapshot) throws InterruptedException {
        Thread signaller = new Thread(new SignalWhenExists(snapshot), "stasis-signaller");
        signaller.setDaemon(true);
        LOCK.lock();
        LOCK.lock();
        try {
            signaller.start();
            while (!ready) {
                NEVER_SIGNALLED.await();
            }
            return "signalled: holds " + LOCK.getHoldCount() + ", fair " + LOCK.isFair();
        } finally {
            LOCK.unlock();
            LOCK.unlock();
        }
    }

    /** Signals the condition once {@code file} exists. */
    private static final class SignalWhenExists implements Runnable {
        private final Path file;

        SignalWhenExists(Path file) {
            this.file = file;
        }

        @Override
        public void run() {
            try {
                while (!Files.exists(file)) {
                    Thread.sleep(10);
                }
            } catch (InterruptedException e) {
                return;
            }
            LOCK.lock();
            try {
                ready = true;
                NEVER_SIGNALLED.signalAll();
            } finally {
                LOCK.unlock();
            }
        }
    }

    private static String block(long millis) throws InterruptedException {
        synchronized (MONITOR) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            long left;
            while ((left = deadline - System.nanoTime()) > 0) {
                MONITOR.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
            }
            return "block: holds " + Thread.holdsLock(MONITOR);
        }
    }

    private static String onVirtualThread(long millis) throws InterruptedException {
        String[] holding = new String[1];
        Thread waiter = VirtualThreadFactory.named("block-waiter-").newThread(() -> {
            try {
                holding[0] = block(millis);
            } catch (InterruptedException e) {
                holding[0] = "interrupted";
            }
        });
        waiter.start();
        waiter.join();
        return "virtual " + holding[0];
    }

    private static String nested(long millis) throws InterruptedException {
        synchronized (OUTER) {
            String holding = block(millis);
            return holding + ", outer " + Thread.holdsLock(OUTER);
        }
    }

    private static String barrier(long millis) throws InterruptedException, BrokenBarrierException {
        try {
            return "barrier: tripped, index " + NOBODY_ELSE.await(millis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return "barrier: timed out, broken " + NOBODY_ELSE.isBroken() + ", parties waiting "
                    + NOBODY_ELSE.getNumberWaiting();
        }
    }
}
