package dev.stasis.rt;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Optional;
import java.util.concurrent.locks.AbstractOwnableSynchronizer;
import java.util.concurrent.locks.AbstractQueuedLongSynchronizer;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * What {@link LockHolds} asks about a lock off its hot path: the synchronizer behind it (to match a condition
 * wait, which knows only its synchronizer, with the {@code Lock} the program took), and whether the current
 * thread still holds it where the JDK can tell. Private members are read by reflection; the agent opens
 * {@code java.util.concurrent.locks} to this class's module. Whatever cannot be read answers null: unknown.
 */
final class LockOwnership {
    private static final Field REENTRANT_SYNC = PrivateMembers.field(ReentrantLock.class, "sync");
    private static final Field READ_SYNC = PrivateMembers.field(ReentrantReadWriteLock.ReadLock.class, "sync");
    private static final Field WRITE_SYNC = PrivateMembers.field(ReentrantReadWriteLock.WriteLock.class, "sync");
    private static final Method READ_HOLDS = readHoldCount();
    private static final Method OWNER = PrivateMembers.method(AbstractOwnableSynchronizer.class,
            "getExclusiveOwnerThread");
    /** More holds than a lock's state can count are not real: at most this many entries stand for them. */
    private static final int MAX_HOLDS = 0xFFFF;

    /** An application's own {@code Lock}: its first field that is a synchronizer, if any. */
    private static final ClassValue<Optional<Field>> SYNC_FIELDS = new ClassValue<>() {
        @Override
        protected Optional<Field> computeValue(Class<?> type) {
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field field : c.getDeclaredFields()) {
                    if (!Modifier.isStatic(field.getModifiers()) && isSynchronizer(field.getType())) {
                        try {
                            field.setAccessible(true);
                            return Optional.of(field);
                        } catch (RuntimeException closed) {
                            return Optional.empty();
                        }
                    }
                }
            }
            return Optional.empty();
        }
    };

    private LockOwnership() {
    }

    /** The synchronizer that does {@code lock}'s work ({@code lock} itself if it is one), or null. */
    static Object syncOf(Object lock) {
        if (lock == null) {
            return null;
        }
        if (isSynchronizer(lock.getClass())) {
            return lock;
        }
        Field field = lock instanceof ReentrantLock ? REENTRANT_SYNC
                : lock instanceof ReentrantReadWriteLock.ReadLock ? READ_SYNC
                : lock instanceof ReentrantReadWriteLock.WriteLock ? WRITE_SYNC
                : SYNC_FIELDS.get(lock.getClass()).orElse(null);
        try {
            return field == null ? null : field.get(lock);
        } catch (IllegalAccessException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Whether the current thread holds {@code lock}: known for {@code ReentrantLock}, both locks of a
     * {@code ReentrantReadWriteLock} and an exclusively owned synchronizer; null for the rest (a
     * {@code StampedLock} has no owner, an application's {@code Lock} says nothing).
     */
    static Boolean heldByCurrentThread(Object lock) {
        if (lock instanceof ReentrantLock reentrant) {
            return reentrant.isHeldByCurrentThread();
        }
        if (lock instanceof ReentrantReadWriteLock.WriteLock write) {
            return write.isHeldByCurrentThread();
        }
        try {
            if (lock instanceof ReentrantReadWriteLock.ReadLock && READ_SYNC != null && READ_HOLDS != null) {
                return ((Number) READ_HOLDS.invoke(READ_SYNC.get(lock))).intValue() > 0;
            }
            if (lock instanceof AbstractOwnableSynchronizer && OWNER != null) {
                return OWNER.invoke(lock) == Thread.currentThread();
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /**
     * How many holds a synchronizer's exclusive {@code state} stands for: the count itself for the JDK's
     * reentrant locks; one for any other, whose state means what its author chose.
     */
    static int holdsIn(Object sync, long state) {
        Class<?> lock = sync.getClass().getEnclosingClass();
        if (lock == ReentrantLock.class || lock == ReentrantReadWriteLock.class) {
            return (int) Math.max(1, Math.min(state, MAX_HOLDS));
        }
        return 1;
    }

    private static boolean isSynchronizer(Class<?> type) {
        return AbstractQueuedSynchronizer.class.isAssignableFrom(type)
                || AbstractQueuedLongSynchronizer.class.isAssignableFrom(type);
    }

    private static Method readHoldCount() {
        try {
            return PrivateMembers.method(Class.forName("java.util.concurrent.locks.ReentrantReadWriteLock$Sync"),
                    "getReadHoldCount");
        } catch (ClassNotFoundException e) {
            return null;
        }
    }
}
