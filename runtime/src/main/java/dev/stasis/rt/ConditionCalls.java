package dev.stasis.rt;

import java.util.Date;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;

/**
 * What a call of {@code Condition.await}, {@code awaitUninterruptibly}, {@code awaitNanos},
 * {@code await(time, unit)} or {@code awaitUntil} in instrumented code becomes. The instrumenter replaces
 * the call with
 * <pre>
 *   Object[] call = ConditionCalls.begin(condition[, arguments]);   // a new local
 *   WAIT: if (!ConditionCalls.await(call)) goto WAIT;              // the loop header gets a poll
 *   [result = ConditionCalls.remainingNanos(call) / inTime(call)]
 * </pre>
 * These waits return holding the lock, so a thread cannot simply be cut short inside them and captured: it
 * would be captured inside its critical section. When a checkpoint becomes pending, {@link #await} is
 * woken (by an {@link InterruptWake}, which the condition's wait honours without consuming a signal),
 * releases every hold the thread has on the lock, notes the held state in {@code call} and returns false;
 * the thread is captured at the loop's poll holding nothing. The next call (in this process after the
 * checkpoint, or after a relaunch on the recreated lock) takes the lock again with the same holds and
 * returns true: to the program the wait ended with a spurious wake-up, which {@code Condition} allows, so
 * a signal sent in between is not lost either: the program's own loop checks its condition again.
 * {@link LockCalls} is told of both, so the lock's holds leave the thread's count while it is let go of.
 *
 * <p>Timed waits keep their deadline on the {@link Stasis#nanoTime() offset clock} ({@code awaitUntil}
 * its date), so after a resume they wait only what was left and report what the original would. Only the
 * JDK's conditions (of {@code ReentrantLock}, {@code ReentrantReadWriteLock}'s write lock and other
 * {@code AbstractQueuedSynchronizer}s) are cut short; any other {@code Condition} is waited on as before.
 */
public final class ConditionCalls {
    /** While a checkpoint is pending but does not take this thread, it rechecks this often rather than spin. */
    private static final long PENDING_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** Longer waits are as good as endless; capping them keeps deadline arithmetic from overflowing. */
    static final long MAX_WAIT_NANOS = Long.MAX_VALUE / 4;

    private static final int CONDITION = 0;
    private static final int KIND = 1;
    /** Offset-clock nanos ({@code Long}) for the timed forms, the {@code Date} for {@code awaitUntil}. */
    static final int DEADLINE = 2;
    /** The lock's state released by a cut-short wait ({@code Long}), null while the thread holds it. */
    private static final int RELEASED = 3;
    /** What the original returns: remaining nanos ({@code Long}) or in time ({@code Boolean}). */
    private static final int RESULT = 4;
    /** {@code Boolean.TRUE} once {@code awaitUninterruptibly} swallowed an interrupt of the program. */
    private static final int INTERRUPTED = 5;
    private static final int SIZE = 6;

    private static final int AWAIT = 0;
    private static final int UNINTERRUPTIBLY = 1;
    private static final int NANOS = 2;
    private static final int TIMED = 3;
    private static final int UNTIL = 4;

    private ConditionCalls() {
    }

    /** {@code condition.await()}. */
    public static Object[] begin(Condition condition) {
        return call(condition, AWAIT, null);
    }

    /** {@code condition.awaitUninterruptibly()}. */
    public static Object[] beginUninterruptibly(Condition condition) {
        return call(condition, UNINTERRUPTIBLY, null);
    }

    /** {@code condition.awaitNanos(nanos)}. */
    public static Object[] beginNanos(Condition condition, long nanos) {
        return call(condition, NANOS, deadline(nanos));
    }

    /** {@code condition.await(time, unit)}. */
    public static Object[] begin(Condition condition, long time, TimeUnit unit) {
        return call(condition, TIMED, deadline(unit.toNanos(time)));
    }

    /** {@code condition.awaitUntil(deadline)}. */
    public static Object[] beginUntil(Condition condition, Date deadline) {
        deadline.getTime(); // the original's NullPointerException, before it waits
        return call(condition, UNTIL, deadline);
    }

    private static Object[] call(Condition condition, int kind, Object deadline) {
        if (condition == null) {
            throw new NullPointerException("the Condition to await is null");
        }
        Object[] call = new Object[SIZE];
        call[CONDITION] = condition;
        call[KIND] = kind;
        call[DEADLINE] = deadline;
        return call;
    }

    /** Capped (at 73 years) so that the difference to any later reading of the clock cannot overflow. */
    private static Long deadline(long nanos) {
        return Stasis.nanoTime() + Math.min(nanos, MAX_WAIT_NANOS);
    }

    /** {@code awaitNanos}'s result, once {@link #await} returned true. */
    public static long remainingNanos(Object[] call) {
        return (Long) call[RESULT];
    }

    /** {@code await(time, unit)}'s and {@code awaitUntil}'s result, once {@link #await} returned true. */
    public static boolean inTime(Object[] call) {
        return (Boolean) call[RESULT];
    }

    /**
     * Waits as the call's original would: true when it returned (signalled, timed out or woken spuriously;
     * the thread holds the lock), false when a checkpoint is pending and the thread let go of the lock to be
     * captured at the caller's poll, after which the caller calls again.
     *
     * @throws InterruptedException as the original: the program interrupted the thread (never for the
     *                              uninterruptible form, which keeps the interrupt status instead)
     */
    public static boolean await(Object[] call) throws InterruptedException {
        Condition condition = (Condition) call[CONDITION];
        int kind = (Integer) call[KIND];
        Object sync = ConditionLocks.syncOf(condition);
        if (sync == null) {
            waitUncut(call, condition, kind);
            return true;
        }
        Long released = (Long) call[RELEASED];
        if (released != null) {
            ConditionLocks.reacquire(sync, released);
            LockCalls.retakenAfterWait(sync, released);
            call[RELEASED] = null;
            return finish(call, kind);
        }
        if (kind == UNINTERRUPTIBLY) {
            if (Thread.interrupted()) {
                call[INTERRUPTED] = Boolean.TRUE;
            }
        } else if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        while (true) {
            // Armed before the flag is read: raising it after this read interrupts the wait.
            InterruptWake wake = InterruptWake.arm();
            boolean sliceEnded;
            try {
                sliceEnded = waitOnce(call, condition, kind, Stasis.isPending());
            } catch (InterruptedException e) {
                if (wake.disarm()) {
                    return cutShort(call, sync, kind); // not signalled: a condition wait that throws consumed no signal
                }
                if (kind != UNINTERRUPTIBLY) {
                    throw e;
                }
                call[INTERRUPTED] = Boolean.TRUE;
                continue;
            } catch (RuntimeException | Error e) {
                wake.disarm(); // IllegalMonitorStateException: no wake-up may stay registered
                throw e;
            }
            wake.disarm();
            return sliceEnded ? cutShort(call, sync, kind) : finish(call, kind);
        }
    }

    /**
     * One wait on the condition: true when the thread waited only a slice because a checkpoint was already
     * pending (the caller's poll let it go, so the checkpoint is not for it, or not yet) and its own deadline
     * has not passed; false when the wait ended as the original's would.
     */
    private static boolean waitOnce(Object[] call, Condition condition, int kind, boolean pendingOnEntry)
            throws InterruptedException {
        long remaining = remaining(call, kind);
        if (remaining <= 0) {
            condition.awaitNanos(0); // what the original does with no time left: its checks, the lock let go and taken back
            return false;
        }
        if (pendingOnEntry) {
            condition.awaitNanos(Math.min(remaining, PENDING_SLICE_NANOS));
            return remaining(call, kind) > 0;
        }
        switch (kind) {
            case NANOS, TIMED -> condition.awaitNanos(remaining);
            case UNTIL -> condition.awaitUntil((Date) call[DEADLINE]);
            default -> condition.await();
        }
        return false;
    }

    /** Nanoseconds left until the call's deadline; {@code Long.MAX_VALUE} for the untimed forms. */
    private static long remaining(Object[] call, int kind) {
        return switch (kind) {
            case NANOS, TIMED -> (Long) call[DEADLINE] - Stasis.nanoTime();
            case UNTIL -> TimeUnit.MILLISECONDS.toNanos(((Date) call[DEADLINE]).getTime() - System.currentTimeMillis());
            default -> Long.MAX_VALUE;
        };
    }

    /** Lets go of the lock for the caller's poll; a lock that cannot be let go ends the wait spuriously instead. */
    private static boolean cutShort(Object[] call, Object sync, int kind) {
        long state = ConditionLocks.releaseFully(sync);
        if (state == ConditionLocks.NOT_RELEASED) {
            return finish(call, kind);
        }
        call[RELEASED] = state;
        LockCalls.letGoForWait(sync); // holding nothing now, the thread may be captured at the caller's poll
        return false;
    }

    /** The wait is over (the thread holds the lock): records the original's result. */
    private static boolean finish(Object[] call, int kind) {
        switch (kind) {
            case NANOS -> call[RESULT] = remaining(call, kind);
            case TIMED, UNTIL -> call[RESULT] = remaining(call, kind) > 0;
            case UNINTERRUPTIBLY -> {
                if (call[INTERRUPTED] != null) {
                    Thread.currentThread().interrupt();
                }
            }
            default -> {
            }
        }
        return true;
    }

    /** A condition that cannot be let go of: the original call, not a safepoint. */
    private static void waitUncut(Object[] call, Condition condition, int kind) throws InterruptedException {
        switch (kind) {
            case UNINTERRUPTIBLY -> condition.awaitUninterruptibly();
            case NANOS -> call[RESULT] = condition.awaitNanos(remaining(call, kind));
            case TIMED -> call[RESULT] = condition.await(remaining(call, kind), TimeUnit.NANOSECONDS);
            case UNTIL -> call[RESULT] = condition.awaitUntil((Date) call[DEADLINE]);
            default -> condition.await();
        }
    }
}
