package dev.stasis.agent.instrument.targets;

import dev.stasis.rt.LockCalls;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;

/**
 * An application's lock calls, one per method so a test can drive any sequence and read the thread's count
 * in between: through the {@code Lock} interface and on the concrete JDK classes, every {@code StampedLock}
 * acquire, release and convert method, a lock taken in a constructor (a method that gets no points), one
 * taken through a method reference (never counted), and an application's own {@code Lock}.
 */
public final class LockTarget {
    private LockTarget() {
    }

    // ---- Lock, through the interface

    public static void lock(Lock lock) {
        lock.lock();
    }

    public static void lockInterruptibly(Lock lock) throws InterruptedException {
        lock.lockInterruptibly();
    }

    public static boolean tryLock(Lock lock) {
        return lock.tryLock();
    }

    public static boolean tryLockFor(Lock lock, long millis) throws InterruptedException {
        return lock.tryLock(millis, TimeUnit.MILLISECONDS);
    }

    public static void unlock(Lock lock) {
        lock.unlock();
    }

    // ---- the JDK's classes, named at the call site

    public static void lockReentrant(ReentrantLock lock) {
        lock.lock();
    }

    public static boolean tryLockReentrant(ReentrantLock lock) {
        return lock.tryLock();
    }

    public static void unlockReentrant(ReentrantLock lock) {
        lock.unlock();
    }

    public static void lockWrite(ReentrantReadWriteLock lock) {
        lock.writeLock().lock();
    }

    public static void unlockWrite(ReentrantReadWriteLock lock) {
        lock.writeLock().unlock();
    }

    public static void lockRead(ReentrantReadWriteLock lock) {
        lock.readLock().lock();
    }

    public static void unlockRead(ReentrantReadWriteLock lock) {
        lock.readLock().unlock();
    }

    // ---- StampedLock

    public static long writeLock(StampedLock lock) {
        return lock.writeLock();
    }

    public static long readLock(StampedLock lock) {
        return lock.readLock();
    }

    public static long writeLockInterruptibly(StampedLock lock) throws InterruptedException {
        return lock.writeLockInterruptibly();
    }

    public static long readLockInterruptibly(StampedLock lock) throws InterruptedException {
        return lock.readLockInterruptibly();
    }

    public static long tryWriteLock(StampedLock lock) {
        return lock.tryWriteLock();
    }

    public static long tryWriteLockFor(StampedLock lock, long millis) throws InterruptedException {
        return lock.tryWriteLock(millis, TimeUnit.MILLISECONDS);
    }

    public static long tryReadLock(StampedLock lock) {
        return lock.tryReadLock();
    }

    public static long tryReadLockFor(StampedLock lock, long millis) throws InterruptedException {
        return lock.tryReadLock(millis, TimeUnit.MILLISECONDS);
    }

    public static void unlockWrite(StampedLock lock, long stamp) {
        lock.unlockWrite(stamp);
    }

    public static void unlockRead(StampedLock lock, long stamp) {
        lock.unlockRead(stamp);
    }

    public static void unlock(StampedLock lock, long stamp) {
        lock.unlock(stamp);
    }

    public static boolean tryUnlockWrite(StampedLock lock) {
        return lock.tryUnlockWrite();
    }

    public static boolean tryUnlockRead(StampedLock lock) {
        return lock.tryUnlockRead();
    }

    public static long tryConvertToWriteLock(StampedLock lock, long stamp) {
        return lock.tryConvertToWriteLock(stamp);
    }

    public static long tryConvertToReadLock(StampedLock lock, long stamp) {
        return lock.tryConvertToReadLock(stamp);
    }

    public static long tryConvertToOptimisticRead(StampedLock lock, long stamp) {
        return lock.tryConvertToOptimisticRead(stamp);
    }

    // ---- holds a call site does not see, or sees twice

    /** A method reference: the lambda proxy that calls {@code lock()} is a hidden class, never instrumented. */
    public static void lockThroughMethodReference(Lock lock) {
        Runnable take = lock::lock;
        take.run();
    }

    public static void unlockThroughMethodReference(Lock lock) {
        Runnable release = lock::unlock;
        release.run();
    }

    /** Takes the lock in its constructor, a method that gets no points. */
    public static final class LockedInConstructor {
        public LockedInConstructor(Lock lock) {
            lock.lock();
        }
    }

    /** Set by a test before it signals {@link #awaitSignal}. */
    public static volatile boolean signalled;

    /** A condition wait under the lock, which the wait lets go of and takes back. */
    public static boolean awaitBriefly(ReentrantLock lock, Condition condition) throws InterruptedException {
        lock.lock();
        try {
            return condition.await(1, TimeUnit.MILLISECONDS);
        } finally {
            lock.unlock();
        }
    }

    /** Waits for {@link #signalled}; says how many holds were counted, and how many the lock has, once it is. */
    public static String awaitSignal(ReentrantLock lock, Condition condition) throws InterruptedException {
        lock.lock();
        try {
            while (!signalled) {
                condition.await();
            }
            return "counted " + LockCalls.holdCountOfCurrentThread() + ", held " + lock.getHoldCount();
        } finally {
            lock.unlock();
        }
    }

    /** An application's own lock: a spin lock whose {@code lock()} loop has a poll. */
    public static final class SpinLock implements Lock {
        private final AtomicBoolean held = new AtomicBoolean();
        public int acquisitions;

        @Override
        public void lock() {
            while (!held.compareAndSet(false, true)) {
                Thread.onSpinWait();
            }
            acquisitions++;
        }

        @Override
        public void lockInterruptibly() {
            lock();
        }

        @Override
        public boolean tryLock() {
            return held.compareAndSet(false, true);
        }

        @Override
        public boolean tryLock(long time, TimeUnit unit) {
            return tryLock();
        }

        @Override
        public void unlock() {
            held.set(false);
        }

        @Override
        public Condition newCondition() {
            throw new UnsupportedOperationException();
        }
    }

    /** An application's lock around a JDK lock: both calls are counted, and both are given back. */
    public static final class WrappingLock implements Lock {
        private final ReentrantLock inner = new ReentrantLock();

        @Override
        public void lock() {
            inner.lock();
        }

        @Override
        public void lockInterruptibly() throws InterruptedException {
            inner.lockInterruptibly();
        }

        @Override
        public boolean tryLock() {
            return inner.tryLock();
        }

        @Override
        public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
            return inner.tryLock(time, unit);
        }

        @Override
        public void unlock() {
            inner.unlock();
        }

        @Override
        public Condition newCondition() {
            return inner.newCondition();
        }
    }

    /**
     * For a capture at every poll: critical sections of each kind around calls that poll, the spin lock's own
     * loop included. Ends with the count, which must be back at zero however often the thread was captured.
     */
    public static String run() throws InterruptedException {
        SpinLock spin = new SpinLock();
        ReentrantLock reentrant = new ReentrantLock();
        ReentrantReadWriteLock readWrite = new ReentrantReadWriteLock();
        StampedLock stamped = new StampedLock();
        long sum = 0;
        for (int i = 0; i < 6; i++) {
            spin.lock();
            try {
                sum += square(i);
            } finally {
                spin.unlock();
            }
            if (reentrant.tryLock(1, TimeUnit.SECONDS)) {
                try {
                    sum += square(i + 1);
                } finally {
                    reentrant.unlock();
                }
            }
            readWrite.readLock().lock();
            try {
                sum += square(i + 2);
            } finally {
                readWrite.readLock().unlock();
            }
            long stamp = stamped.tryOptimisticRead();
            stamp = stamped.tryConvertToWriteLock(stamp);
            try {
                sum += square(i + 3);
            } finally {
                stamped.unlock(stamp);
            }
        }
        return "sum " + sum + ", spin acquisitions " + spin.acquisitions + ", holds "
                + LockCalls.holdCountOfCurrentThread();
    }

    private static long square(int i) {
        long r = 0;
        for (int k = 0; k < i; k++) {
            r += i;
        }
        return r;
    }
}
