package dev.stasis.rt;

import java.util.concurrent.locks.StampedLock;

/**
 * Counts the {@code java.util.concurrent} locks each thread holds, so that the capturability check at a poll
 * needs no thread dump: asking {@code ThreadMXBean} for a thread's synchronizers makes the JVM search the
 * whole heap, once per thread per checkpoint. The instrumenter keeps every lock call of application code as
 * it is and passes its receiver and result here right after it returns:
 * <pre>
 *   lock.lock();            becomes   lock.lock(); LockCalls.locked(lock);            // receiver kept by a dup
 *   b = lock.tryLock(t, u);  becomes   b = LockCalls.lockedIf(lock, lock.tryLock(t, u));
 * </pre>
 * ({@code Lock.lock}, {@code lockInterruptibly}, {@code tryLock}, {@code unlock} on any receiver, and
 * {@code StampedLock}'s acquire, release and convert methods). A call that throws, a {@code tryLock} that
 * answers false and a stamp of 0 count nothing. The original call stays where it was, so a lock the
 * application implements itself keeps its own continuation points, and its inner JDK lock is counted too (a
 * hold counted twice is released twice). {@code ConditionCalls} takes a lock's holds off the count while a
 * condition wait has let go of it for a checkpoint, and puts them back when the wait takes the lock again.
 *
 * <p>A hold can escape the count: a lock taken through a method reference (the lambda proxy is a hidden
 * class, never instrumented), by reflection or by uninstrumented code. The checkpoint coordinator therefore
 * asks the JVM once per checkpoint, at the cut, whether a stopped thread owns a synchronizer after all.
 */
public final class LockCalls {
    /** About 1 ns per lock and unlock pair, next to the pair's own 18 or so (PERFORMANCE.md, "Threads"). */
    private static final ThreadLocal<LockHolds> HOLDS = ThreadLocal.withInitial(LockHolds::new);

    private LockCalls() {
    }

    /** After {@code lock()} or {@code lockInterruptibly()} returned: one hold more. */
    public static void locked(Object lock) {
        HOLDS.get().taken(lock);
    }

    /** After {@code tryLock()} or {@code tryLock(time, unit)}: one hold more if it answered true. */
    public static boolean lockedIf(Object lock, boolean acquired) {
        if (acquired) {
            HOLDS.get().taken(lock);
        }
        return acquired;
    }

    /** After a {@code StampedLock} read or write acquisition: one hold more unless the stamp is 0 (not acquired). */
    public static long stamped(Object lock, long stamp) {
        if (stamp != 0) {
            HOLDS.get().taken(lock);
        }
        return stamp;
    }

    /** After {@code unlock()}, or {@code StampedLock.unlockRead/unlockWrite/unlock(stamp)}, returned: one hold less. */
    public static void unlocked(Object lock) {
        HOLDS.get().released(lock);
    }

    /** After {@code StampedLock.tryUnlockRead/tryUnlockWrite}: one hold less if it answered true. */
    public static boolean unlockedIf(Object lock, boolean released) {
        if (released) {
            HOLDS.get().released(lock);
        }
        return released;
    }

    /**
     * After {@code StampedLock.tryConvertTo*(from)} answered {@code stamp}: an optimistic stamp turned into a read
     * or write lock is one hold more, a lock turned into an optimistic stamp one less; a lock turned into the
     * other kind of lock, or a failed conversion (0), changes nothing.
     */
    public static long converted(Object lock, long stamp, long from) {
        if (stamp != 0) {
            boolean wasHeld = StampedLock.isLockStamp(from);
            boolean isHeld = StampedLock.isLockStamp(stamp);
            if (isHeld && !wasHeld) {
                HOLDS.get().taken(lock);
            } else if (wasHeld && !isHeld) {
                HOLDS.get().released(lock);
            }
        }
        return stamp;
    }

    /**
     * The newest lock the current thread holds that a rewritten call site took, or null when it holds none: the
     * capturability check's question. Holds the JDK can prove given back are dropped first.
     */
    public static Object heldByCurrentThread() {
        return HOLDS.get().newestHeld();
    }

    /** How many holds are counted for the current thread, releases not seen by any call site included. */
    public static int holdCountOfCurrentThread() {
        return HOLDS.get().count();
    }

    /** A condition wait let go of every hold of {@code sync} so its thread can be captured at the wait's poll. */
    static void letGoForWait(Object sync) {
        HOLDS.get().letGoForWait(sync);
    }

    /** The condition wait took {@code sync} back with the {@code state} it let go of. */
    static void retakenAfterWait(Object sync, long state) {
        HOLDS.get().retakenAfterWait(sync, state);
    }
}
