package dev.stasis.rt;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.concurrent.locks.AbstractQueuedLongSynchronizer;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Lets a thread that returned from a {@code Condition} wait step out of the lock the way the wait itself
 * does: read the synchronizer's whole state, {@code release} it, and later {@code acquire} the same state
 * again (what {@code AbstractQueuedSynchronizer.ConditionObject.await} does around its park). Only the
 * JDK's own condition objects are handled: their owning synchronizer is the condition's enclosing
 * instance. The state and the enclosing instance are private, read by reflection; the agent opens
 * {@code java.util.concurrent.locks} to these classes. Where that is not possible (another
 * {@code Condition}, or the package is not open) {@link #syncOf} answers null and the caller waits the
 * ordinary way.
 */
final class ConditionLocks {
    /** What {@link #releaseFully} answers when the thread must keep the lock. */
    static final long NOT_RELEASED = -1;

    private static final Field INT_OWNER = PrivateMembers.field(AbstractQueuedSynchronizer.ConditionObject.class, "this$0");
    private static final Field LONG_OWNER = PrivateMembers.field(AbstractQueuedLongSynchronizer.ConditionObject.class, "this$0");
    private static final Method INT_STATE = PrivateMembers.method(AbstractQueuedSynchronizer.class, "getState");
    private static final Method LONG_STATE = PrivateMembers.method(AbstractQueuedLongSynchronizer.class, "getState");
    /** A ReentrantReadWriteLock's state keeps the read holds in its upper half (an int on JDK 17, a long later). */
    private static final int INT_READ_SHIFT = 16;
    private static final int LONG_READ_SHIFT = 32;

    private ConditionLocks() {
    }

    /** The synchronizer that owns {@code condition}, or null when it is not one this class can release. */
    static Object syncOf(Condition condition) {
        try {
            if (condition instanceof AbstractQueuedSynchronizer.ConditionObject && INT_OWNER != null && INT_STATE != null) {
                return INT_OWNER.get(condition);
            }
            if (condition instanceof AbstractQueuedLongSynchronizer.ConditionObject && LONG_OWNER != null
                    && LONG_STATE != null) {
                return LONG_OWNER.get(condition);
            }
        } catch (IllegalAccessException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /**
     * Releases every hold the current thread has on {@code sync} (it must own it exclusively) and returns
     * the state to acquire again, or {@link #NOT_RELEASED} when it must keep holding it: a read-write
     * lock's writer that also holds read locks (those holds are counted per thread, outside the state a
     * recreated lock could be given back).
     */
    static long releaseFully(Object sync) {
        try {
            if (sync instanceof AbstractQueuedSynchronizer ints) {
                int state = (Integer) INT_STATE.invoke(ints);
                if (state <= 0 || isReadWriteSync(sync) && state >>> INT_READ_SHIFT != 0) {
                    return NOT_RELEASED;
                }
                ints.release(state);
                return state;
            }
            AbstractQueuedLongSynchronizer longs = (AbstractQueuedLongSynchronizer) sync;
            long state = (Long) LONG_STATE.invoke(longs);
            if (state <= 0 || isReadWriteSync(sync) && state >>> LONG_READ_SHIFT != 0) {
                return NOT_RELEASED;
            }
            longs.release(state);
            return state;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return NOT_RELEASED;
        }
    }

    /** Takes {@code sync} again with the state {@link #releaseFully} returned; blocks like {@code lock()}. */
    static void reacquire(Object sync, long state) {
        if (sync instanceof AbstractQueuedSynchronizer ints) {
            ints.acquire((int) state);
        } else {
            ((AbstractQueuedLongSynchronizer) sync).acquire(state);
        }
    }

    private static boolean isReadWriteSync(Object sync) {
        return sync.getClass().getEnclosingClass() == ReentrantReadWriteLock.class;
    }
}
