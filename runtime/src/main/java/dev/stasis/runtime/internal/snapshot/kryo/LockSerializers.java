package dev.stasis.runtime.internal.snapshot.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.locks.AbstractOwnableSynchronizer;
import java.util.concurrent.locks.AbstractQueuedLongSynchronizer;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Function;

/**
 * The JDK's locks, saved unlocked. A lock's state in the heap is its synchronizer (the {@code sync} field
 * of a {@code ReentrantLock}, of a {@code ReentrantReadWriteLock} and of its read and write lock views):
 * that is written as its fairness only and read back as the synchronizer of a fresh, unlocked lock of the
 * same fairness. The locks and views themselves keep Kryo's field serializer, so a view read back is the
 * one its lock holds and every reference to a lock, a view or a synchronizer resolves to the same object.
 * A {@code Condition} (of those locks, or of any {@code AbstractQueuedSynchronizer}) is written as its
 * synchronizer and read as a new condition of the recreated one: the same condition object stays tied to
 * the same lock. A {@code StampedLock} keeps its version, so a stamp taken before validates after a
 * resume exactly when it did before; its views resolve to the views of the recreated lock.
 *
 * <p>A lock that is held, or that threads queue for, is refused: at a checkpoint every captured thread
 * stands outside its critical sections (its condition waits let the lock go, see
 * {@code dev.stasis.rt.ConditionCalls}), so a held lock means a thread that is not captured holds it, and
 * a snapshot could not give it back.
 */
final class LockSerializers {
    private static final String LOCKS = "java.util.concurrent.locks.";

    private LockSerializers() {
    }

    static void register(Kryo kryo) {
        kryo.addDefaultSerializer(JdkFields.jdkClass(LOCKS + "ReentrantLock$Sync"), new FairnessSync("ReentrantLock",
                SyncAccess.REENTRANT_SYNC, ReentrantLock::new));
        kryo.addDefaultSerializer(JdkFields.jdkClass(LOCKS + "ReentrantReadWriteLock$Sync"), new FairnessSync("ReentrantReadWriteLock",
                SyncAccess.READ_WRITE_SYNC, ReentrantReadWriteLock::new));
        kryo.addDefaultSerializer(AbstractQueuedSynchronizer.ConditionObject.class, new ConditionSerializer());
        kryo.addDefaultSerializer(AbstractQueuedLongSynchronizer.ConditionObject.class, new ConditionSerializer());
        kryo.addDefaultSerializer(StampedLock.class, new StampedLockSerializer());
        for (String view : new String[] {"ReadLockView", "WriteLockView", "ReadWriteLockView"}) {
            kryo.addDefaultSerializer(JdkFields.jdkClass(LOCKS + "StampedLock$" + view), new StampedViewSerializer());
        }
    }

    /** Refuses a synchronizer someone holds or queues for; names the holder when there is one. */
    private static void refuseIfBusy(Object sync, String lock) {
        // JDK 17's ReentrantReadWriteLock counts in an int state, later JDKs' in a long one.
        long state;
        boolean queued;
        if (sync instanceof AbstractQueuedSynchronizer ints) {
            state = (Integer) invoke(SyncAccess.STATE.get(), ints);
            queued = ints.hasQueuedThreads();
        } else {
            AbstractQueuedLongSynchronizer longs = (AbstractQueuedLongSynchronizer) sync;
            state = (Long) invoke(SyncAccess.LONG_STATE.get(), longs);
            queued = longs.hasQueuedThreads();
        }
        if (state == 0 && !queued) {
            return;
        }
        Thread owner = (Thread) invoke(SyncAccess.OWNER.get(), sync);
        String holder = owner != null ? "held by thread \"" + owner.getName() + "\""
                : state != 0 ? "held (read-locked)" : "not held, but threads queue for it";
        throw CapturePathException.refuse(sync, "the " + lock + " is " + holder + " at the checkpoint: captured"
                + " threads stand outside their critical sections, so a thread that was not captured is in one, and a"
                + " lock is saved only unlocked; let every thread release it before the checkpoint");
    }

    private static Object invoke(Method method, Object target) {
        try {
            return method.invoke(target);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new KryoException("cannot read " + method + " of " + target, e);
        }
    }

    private static Object fieldValue(Field field, Object owner) {
        try {
            return field.get(owner);
        } catch (IllegalAccessException e) {
            throw new KryoException("cannot read " + field + " of " + owner.getClass().getName(), e);
        }
    }

    /** The reflective handles, looked up when a lock is first met (see {@link JdkFields}). */
    private static final class SyncAccess {
        static final Lazy<Method> STATE = new Lazy<>("getState", AbstractQueuedSynchronizer.class);
        static final Lazy<Method> LONG_STATE = new Lazy<>("getState", AbstractQueuedLongSynchronizer.class);
        static final Lazy<Method> OWNER = new Lazy<>("getExclusiveOwnerThread", AbstractOwnableSynchronizer.class);
        static final Lazy<Field> REENTRANT_SYNC = new Lazy<>(ReentrantLock.class, "sync");
        static final Lazy<Field> READ_WRITE_SYNC = new Lazy<>(ReentrantReadWriteLock.class, "sync");
        static final Lazy<Field> INT_CONDITION_OWNER = new Lazy<>(AbstractQueuedSynchronizer.ConditionObject.class, "this$0");
        static final Lazy<Field> LONG_CONDITION_OWNER = new Lazy<>(AbstractQueuedLongSynchronizer.ConditionObject.class, "this$0");
        static final Lazy<Field> STAMPED_STATE = new Lazy<>(StampedLock.class, "state");
        static final Lazy<Field> STAMPED_VIEW_OWNER_READ = new Lazy<>(JdkFields.jdkClass(LOCKS + "StampedLock$ReadLockView"), "this$0");
        static final Lazy<Field> STAMPED_VIEW_OWNER_WRITE = new Lazy<>(JdkFields.jdkClass(LOCKS + "StampedLock$WriteLockView"), "this$0");
        static final Lazy<Field> STAMPED_VIEW_OWNER_READ_WRITE =
                new Lazy<>(JdkFields.jdkClass(LOCKS + "StampedLock$ReadWriteLockView"), "this$0");
    }

    /** A private field or no-argument method, made accessible on first use. */
    private static final class Lazy<T> {
        private final Class<?> owner;
        private final String name;
        private final boolean isMethod;
        private volatile T resolved;

        Lazy(Class<?> owner, String field) {
            this.owner = owner;
            this.name = field;
            this.isMethod = false;
        }

        Lazy(String method, Class<?> owner) {
            this.owner = owner;
            this.name = method;
            this.isMethod = true;
        }

        @SuppressWarnings("unchecked")
        T get() {
            T value = resolved;
            if (value == null) {
                value = (T) (isMethod ? JdkFields.method(owner, name) : JdkFields.field(owner, name));
                resolved = value;
            }
            return value;
        }
    }

    /**
     * The synchronizer of a {@code ReentrantLock} or a {@code ReentrantReadWriteLock} (shared by the lock and its
     * two views): its fairness. Read back as the synchronizer of a new unlocked lock of that fairness.
     */
    private static final class FairnessSync extends Serializer<Object> {
        private final String lockName;
        private final Lazy<Field> syncField;
        private final Function<Boolean, Object> newLock;

        FairnessSync(String lockName, Lazy<Field> syncField, Function<Boolean, Object> newLock) {
            this.lockName = lockName;
            this.syncField = syncField;
            this.newLock = newLock;
        }

        @Override
        public void write(Kryo kryo, Output output, Object sync) {
            refuseIfBusy(sync, lockName);
            output.writeBoolean(sync.getClass().getSimpleName().equals("FairSync"));
        }

        @Override
        public Object read(Kryo kryo, Input input, Class<?> type) {
            return fieldValue(syncField.get(), newLock.apply(input.readBoolean()));
        }
    }

    /** A condition: its synchronizer, which a new condition object of the recreated lock is made for. */
    private static final class ConditionSerializer extends Serializer<Object> {
        @Override
        public void write(Kryo kryo, Output output, Object condition) {
            // Its waiters are not written: a thread still waiting in the condition's own await (JDK code, not a
            // rewritten call) is not a captured thread, so it does not exist after a relaunch either.
            boolean ints = condition instanceof AbstractQueuedSynchronizer.ConditionObject;
            Field owner = (ints ? SyncAccess.INT_CONDITION_OWNER : SyncAccess.LONG_CONDITION_OWNER).get();
            kryo.writeClassAndObject(output, fieldValue(owner, condition));
        }

        @Override
        public Object read(Kryo kryo, Input input, Class<?> type) {
            Object sync = kryo.readClassAndObject(input);
            Class<?> outer = type == AbstractQueuedSynchronizer.ConditionObject.class
                    ? AbstractQueuedSynchronizer.class : AbstractQueuedLongSynchronizer.class;
            if (!outer.isInstance(sync)) {
                throw new KryoException("a " + type.getName() + " belongs to a " + PathDescriber.typeName(sync)
                        + "; the snapshot is damaged");
            }
            try {
                Constructor<?> constructor = type.getDeclaredConstructor(outer);
                constructor.setAccessible(true);
                return constructor.newInstance(sync);
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new KryoException("cannot recreate a " + type.getName() + " for its lock", e);
            }
        }
    }

    /** A {@code StampedLock}: its version (the state of an unlocked lock). */
    private static final class StampedLockSerializer extends Serializer<StampedLock> {
        @Override
        public void write(Kryo kryo, Output output, StampedLock lock) {
            if (lock.isWriteLocked() || lock.isReadLocked()) {
                throw CapturePathException.refuse(lock, "the StampedLock is " + (lock.isWriteLocked() ? "write" : "read")
                        + "-locked at the checkpoint: captured threads stand outside their critical sections, so a"
                        + " thread that was not captured is in one, and a lock is saved only unlocked; let every"
                        + " thread release it before the checkpoint");
            }
            try {
                output.writeLong(SyncAccess.STAMPED_STATE.get().getLong(lock));
            } catch (IllegalAccessException e) {
                throw new KryoException("cannot read the state of a StampedLock", e);
            }
        }

        @Override
        public StampedLock read(Kryo kryo, Input input, Class<? extends StampedLock> type) {
            StampedLock lock = new StampedLock();
            long version = input.readLong();
            if (version == 0 || (version & LOCK_BITS) != 0) {
                throw new KryoException("a StampedLock's saved state " + version + " is not an unlocked one;"
                        + " the snapshot is damaged");
            }
            try {
                SyncAccess.STAMPED_STATE.get().setLong(lock, version);
            } catch (IllegalAccessException e) {
                throw new KryoException("cannot restore the state of a StampedLock", e);
            }
            return lock;
        }

        /** The reader count and writer bit of a {@code StampedLock}'s state (its low byte). */
        private static final long LOCK_BITS = 0xFF;
    }

    /** {@code asReadLock()}, {@code asWriteLock()}, {@code asReadWriteLock()}: their lock. */
    private static final class StampedViewSerializer extends Serializer<Object> {
        @Override
        public void write(Kryo kryo, Output output, Object view) {
            kryo.writeClassAndObject(output, fieldValue(ownerField(view.getClass()), view));
        }

        @Override
        public Object read(Kryo kryo, Input input, Class<?> type) {
            if (!(kryo.readClassAndObject(input) instanceof StampedLock lock)) {
                throw new KryoException("a " + type.getName() + " without its StampedLock; the snapshot is damaged");
            }
            return switch (type.getSimpleName()) {
                case "ReadLockView" -> lock.asReadLock();
                case "WriteLockView" -> lock.asWriteLock();
                case "ReadWriteLockView" -> lock.asReadWriteLock();
                default -> throw new KryoException("not a view of a StampedLock: " + type.getName());
            };
        }

        private static Field ownerField(Class<?> view) {
            return switch (view.getSimpleName()) {
                case "ReadLockView" -> SyncAccess.STAMPED_VIEW_OWNER_READ.get();
                case "WriteLockView" -> SyncAccess.STAMPED_VIEW_OWNER_WRITE.get();
                default -> SyncAccess.STAMPED_VIEW_OWNER_READ_WRITE.get();
            };
        }
    }
}
