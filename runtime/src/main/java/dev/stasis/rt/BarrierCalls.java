package dev.stasis.rt;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What a call of {@code CyclicBarrier.await()} or {@code await(timeout, unit)} in instrumented code
 * becomes:
 * <pre>
 *   Object[] call = BarrierCalls.begin(barrier[, timeout, unit]);   // arrives; a new local
 *   WAIT: if (!BarrierCalls.await(call)) goto WAIT;                // the loop header gets a poll
 *   index = BarrierCalls.index(call);
 * </pre>
 * A barrier wait cannot be cut short by an interrupt or a timeout: both break the barrier for every
 * party. So the call is split in two, as the barrier's own code does it under its lock: {@link #begin}
 * arrives (counts the party in and remembers the barrier's generation and the arrival index), and
 * {@link #await} waits for that generation to end. The wait holds nothing between its waits on the
 * barrier's condition, so a pending checkpoint wakes it (an {@link InterruptWake} that this code, not the
 * barrier's, handles), it returns false and the thread is captured at the loop's poll with its generation
 * in {@code call}: the count of parties that arrived is part of the barrier's state in the heap. After a
 * resume it waits for the same generation to trip, or to break.
 *
 * <p>The arrival that trips the barrier, and an arrival at a broken barrier or by an interrupted thread,
 * run the barrier's own {@code await} (it decides at once, without waiting). The barrier's private fields
 * are read by reflection (the agent opens {@code java.util.concurrent} to these classes); a subclass of
 * {@code CyclicBarrier}, or a JVM where they cannot be read, gets the original call, not a safepoint.
 */
public final class BarrierCalls {
    /** While a checkpoint is pending but does not take this thread, it rechecks this often rather than spin. */
    private static final long PENDING_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private static final Field LOCK = PrivateMembers.field(CyclicBarrier.class, "lock");
    private static final Field TRIP = PrivateMembers.field(CyclicBarrier.class, "trip");
    private static final Field GENERATION = PrivateMembers.field(CyclicBarrier.class, "generation");
    private static final Field COUNT = PrivateMembers.field(CyclicBarrier.class, "count");
    private static final Field BROKEN = PrivateMembers.field(generationClass(), "broken");
    private static final Method BREAK = PrivateMembers.method(CyclicBarrier.class, "breakBarrier");
    private static final boolean SUPPORTED = LOCK != null && TRIP != null && GENERATION != null && COUNT != null
            && BROKEN != null && BREAK != null;

    private static final int BARRIER = 0;
    /** The generation this party arrived in; null once the call is over. */
    private static final int GENERATION_ARRIVED = 1;
    /** The arrival index ({@code Integer}), {@code await}'s result. */
    private static final int INDEX = 2;
    /** Offset-clock nanos ({@code Long}), null for the untimed form. */
    private static final int DEADLINE = 3;
    private static final int SIZE = 4;

    /** Where a party's generation stands, read under the barrier's lock. */
    private enum Outcome { WAITING, TRIPPED, BROKEN }

    private BarrierCalls() {
    }

    /** Arrives at the barrier for {@code barrier.await()}. */
    public static Object[] begin(CyclicBarrier barrier) throws InterruptedException, BrokenBarrierException {
        try {
            return arrive(barrier, null);
        } catch (TimeoutException e) {
            throw new IllegalStateException("an untimed barrier wait timed out", e);
        }
    }

    /** Arrives at the barrier for {@code barrier.await(timeout, unit)}. */
    public static Object[] begin(CyclicBarrier barrier, long timeout, TimeUnit unit)
            throws InterruptedException, BrokenBarrierException, TimeoutException {
        long nanos = unit.toNanos(timeout);
        return arrive(barrier, Stasis.nanoTime() + Math.min(nanos, ConditionCalls.MAX_WAIT_NANOS));
    }

    /** {@code await}'s result (the arrival index), once {@link #await} returned true. */
    public static int index(Object[] call) {
        return (Integer) call[INDEX];
    }

    private static Object[] arrive(CyclicBarrier barrier, Long deadline)
            throws InterruptedException, BrokenBarrierException, TimeoutException {
        Object[] call = new Object[SIZE];
        call[BARRIER] = barrier;
        call[DEADLINE] = deadline;
        if (!SUPPORTED || barrier.getClass() != CyclicBarrier.class) {
            call[INDEX] = originalAwait(barrier, deadline);
            return call;
        }
        ReentrantLock lock = (ReentrantLock) get(LOCK, barrier);
        lock.lock();
        try {
            Object generation = get(GENERATION, barrier);
            int count = getInt(COUNT, barrier);
            if (count <= 1 || getBoolean(BROKEN, generation) || Thread.currentThread().isInterrupted()) {
                // The barrier's own await decides at once (trips, or throws) without waiting; the lock is reentrant.
                call[INDEX] = originalAwait(barrier, deadline);
                return call;
            }
            setInt(COUNT, barrier, count - 1);
            call[INDEX] = count - 1;
            call[GENERATION_ARRIVED] = generation;
            return call;
        } finally {
            lock.unlock();
        }
    }

    private static int originalAwait(CyclicBarrier barrier, Long deadline)
            throws InterruptedException, BrokenBarrierException, TimeoutException {
        return deadline == null ? barrier.await() : barrier.await(deadline - Stasis.nanoTime(), TimeUnit.NANOSECONDS);
    }

    /**
     * Waits until the party's generation trips: true then (the thread holds nothing), false when a
     * checkpoint is pending and the caller must poll first and then call again.
     *
     * @throws BrokenBarrierException as the original: the generation broke
     * @throws TimeoutException       as the original: the deadline passed first (the barrier is broken)
     * @throws InterruptedException   as the original: the program interrupted the thread (the barrier is broken)
     */
    public static boolean await(Object[] call) throws InterruptedException, BrokenBarrierException, TimeoutException {
        Object generation = call[GENERATION_ARRIVED];
        if (generation == null) {
            return true;
        }
        CyclicBarrier barrier = (CyclicBarrier) call[BARRIER];
        Long deadline = (Long) call[DEADLINE];
        ReentrantLock lock = (ReentrantLock) get(LOCK, barrier);
        Condition trip = (Condition) get(TRIP, barrier);
        lock.lock();
        try {
            boolean first = true;
            while (true) {
                if (settled(call, barrier, generation)) {
                    return true;
                }
                long remaining = deadline == null ? Long.MAX_VALUE : deadline - Stasis.nanoTime();
                if (remaining <= 0) {
                    invoke(BREAK, barrier);
                    call[GENERATION_ARRIVED] = null;
                    throw new TimeoutException();
                }
                // Armed before the flag is read: raising it after this read interrupts the wait.
                InterruptWake wake = InterruptWake.arm();
                boolean pending = Stasis.isPending();
                if (pending && !first) {
                    wake.disarm(); // raised while it waited: poll now
                    return false;
                }
                first = false;
                try {
                    if (pending) {
                        trip.awaitNanos(Math.min(remaining, PENDING_SLICE_NANOS));
                    } else if (deadline == null) {
                        trip.await();
                    } else {
                        trip.awaitNanos(remaining);
                    }
                } catch (InterruptedException e) {
                    if (wake.disarm()) {
                        return false;
                    }
                    if (outcome(barrier, generation) == Outcome.WAITING) {
                        invoke(BREAK, barrier);
                        call[GENERATION_ARRIVED] = null;
                        throw e;
                    }
                    Thread.currentThread().interrupt(); // tripped or broken meanwhile: as the original, keep it
                    continue;
                } catch (RuntimeException | Error e) {
                    wake.disarm();
                    throw e;
                }
                wake.disarm();
                if (pending) {
                    return settled(call, barrier, generation);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** True when the generation tripped (the call is over); throws when it broke; false while it waits. */
    private static boolean settled(Object[] call, CyclicBarrier barrier, Object generation) throws BrokenBarrierException {
        switch (outcome(barrier, generation)) {
            case BROKEN -> {
                call[GENERATION_ARRIVED] = null;
                throw new BrokenBarrierException();
            }
            case TRIPPED -> {
                call[GENERATION_ARRIVED] = null;
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private static Outcome outcome(CyclicBarrier barrier, Object generation) {
        if (getBoolean(BROKEN, generation)) {
            return Outcome.BROKEN;
        }
        return get(GENERATION, barrier) != generation ? Outcome.TRIPPED : Outcome.WAITING;
    }

    private static Object get(Field field, Object owner) {
        try {
            return field.get(owner);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int getInt(Field field, Object owner) {
        try {
            return field.getInt(owner);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean getBoolean(Field field, Object owner) {
        try {
            return field.getBoolean(owner);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void setInt(Field field, Object owner, int value) {
        try {
            field.setInt(owner, value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void invoke(Method method, Object owner) {
        try {
            method.invoke(owner);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
    }

    private static Class<?> generationClass() {
        for (Class<?> nested : CyclicBarrier.class.getDeclaredClasses()) {
            if (nested.getSimpleName().equals("Generation")) {
                return nested;
            }
        }
        return null;
    }
}
