package dev.stasis.rt;

import java.util.Arrays;

/**
 * The {@code java.util.concurrent} lock holds one thread took at call sites Stasis rewrote and has not given
 * back, newest last: one entry per hold, so a lock taken twice is listed twice. Only its own thread reads and
 * writes it (it lives in {@link LockCalls}'s {@code ThreadLocal}), so it needs no synchronisation.
 *
 * <p>An entry is the lock the program called ({@code ReentrantLock}, a read or write lock, a
 * {@code StampedLock} or one of its views, any {@code Lock}), or the synchronizer itself where a resumed
 * condition wait took the lock back without knowing the {@code Lock} object (see {@link #retakenAfterWait}).
 */
final class LockHolds {
    private static final int INITIAL_CAPACITY = 4;

    /**
     * Holds {@code [0, count)}; slots above keep what they last held (a few references per thread at most), so that
     * taking the same lock again, the common case, stores nothing: a reference store into this long-lived array
     * costs a GC write barrier, measured at about 1.5 ns of the 2.6 ns a lock and unlock pair paid for the list.
     */
    private Object[] held = new Object[INITIAL_CAPACITY];
    private int count;
    /** The synchronizer a condition wait let go of for a checkpoint, and the holds it took off this list. */
    private Object waitSync;
    private Object[] waitHolds;

    void taken(Object lock) {
        if (count == held.length) {
            held = Arrays.copyOf(held, count * 2);
        }
        if (held[count] != lock) {
            held[count] = lock;
        }
        count++;
    }

    /**
     * Removes the newest hold of {@code lock}, or else of the synchronizer behind it. A lock with no entry was
     * taken where nothing counted it (a method reference, uninstrumented code): its release changes nothing.
     */
    void released(Object lock) {
        int index = newestIndexOf(lock);
        if (index < 0 && count > 0) {
            Object sync = LockOwnership.syncOf(lock);
            index = sync == null ? -1 : newestIndexOf(sync);
        }
        if (index >= 0) {
            removeAt(index);
        }
    }

    int count() {
        return count;
    }

    /**
     * The newest lock this thread still holds, or null. Entries the JDK can prove this thread no longer holds
     * (a {@code ReentrantLock} or read-write lock given back where no rewritten call site saw it) are dropped
     * first, so such a release cannot keep the thread from being captured for ever.
     */
    Object newestHeld() {
        for (int i = count - 1; i >= 0; i--) {
            if (LockOwnership.heldByCurrentThread(held[i]) == Boolean.FALSE) {
                removeAt(i);
            }
        }
        return count == 0 ? null : held[count - 1];
    }

    /**
     * A condition wait let go of every hold of {@code sync} for a checkpoint: its entries leave the list until
     * {@link #retakenAfterWait}, so the thread can be captured at the wait's poll.
     */
    void letGoForWait(Object sync) {
        Object[] removed = new Object[count];
        int taken = 0;
        for (int i = count - 1; i >= 0; i--) {
            if (held[i] == sync || LockOwnership.syncOf(held[i]) == sync) {
                removed[taken++] = held[i];
                removeAt(i);
            }
        }
        waitSync = sync;
        waitHolds = Arrays.copyOf(removed, taken);
    }

    /**
     * The wait took {@code sync} back with {@code state}. In the same process its entries return; in a relaunched
     * one (this list started empty) the synchronizer stands for the lock, once per hold the state implies.
     */
    void retakenAfterWait(Object sync, long state) {
        if (waitSync == sync) {
            for (int i = waitHolds.length - 1; i >= 0; i--) {
                taken(waitHolds[i]);
            }
        } else {
            for (int i = LockOwnership.holdsIn(sync, state); i > 0; i--) {
                taken(sync);
            }
        }
        waitSync = null;
        waitHolds = null;
    }

    private int newestIndexOf(Object lock) {
        for (int i = count - 1; i >= 0; i--) {
            if (held[i] == lock) {
                return i;
            }
        }
        return -1;
    }

    /** The newest hold, the usual one to go, leaves its slot as it was (see {@link #held}). */
    private void removeAt(int index) {
        count--;
        if (index < count) {
            Object removed = held[index];
            System.arraycopy(held, index + 1, held, index, count - index);
            held[count] = removed;
        }
    }
}
