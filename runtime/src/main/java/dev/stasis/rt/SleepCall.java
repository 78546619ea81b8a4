package dev.stasis.rt;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What a call of {@code Thread.sleep} in instrumented code becomes. The instrumenter replaces
 * {@code Thread.sleep(millis)} (and {@code Thread.sleep(millis, nanos)}) with
 * <pre>
 *   long deadline = SleepCall.deadline(millis);       // a new local
 *   WAIT: if (!SleepCall.sleepUntil(deadline)) goto WAIT;   // the loop header gets a poll
 * </pre>
 * A sleeping thread returns from {@link #sleepUntil(long)} as soon as a checkpoint becomes pending, so
 * it is captured at the loop's poll with its deadline in a local, at once rather than when it wakes.
 * The deadline is on the {@link Stasis#nanoTime() offset clock}, so after a resume (in the same process
 * or after a relaunch) the thread sleeps only what was left.
 */
public final class SleepCall {
    /** While a checkpoint is pending but does not take this thread, it rechecks this often rather than spin. */
    private static final long PENDING_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private SleepCall() {
    }

    /** The deadline of {@code Thread.sleep(millis)}; throws what it throws for a negative argument. */
    public static long deadline(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("timeout value is negative");
        }
        return Stasis.nanoTime() + saturatedNanos(millis, 0);
    }

    /** The deadline of {@code Thread.sleep(millis, nanos)}; throws what it throws for bad arguments. */
    public static long deadline(long millis, int nanos) {
        if (millis < 0) {
            throw new IllegalArgumentException("timeout value is negative");
        }
        if (nanos < 0 || nanos > 999_999) {
            throw new IllegalArgumentException("nanosecond timeout value out of range");
        }
        return Stasis.nanoTime() + saturatedNanos(millis, nanos);
    }

    /**
     * How long {@code unit.sleep(timeout)} sleeps, or -1 when it returns at once without looking at the
     * interrupt (a timeout of zero or less); throws for a null unit as the call does.
     */
    public static long sleepNanos(TimeUnit unit, long timeout) {
        long nanos = unit.toNanos(timeout); // saturates; also the null check
        return timeout > 0 ? Math.max(1, nanos) : -1;
    }

    /**
     * How long {@code Thread.sleep(duration)} (JDK 19 and later) sleeps, or -1 when it returns at once without
     * looking at the interrupt (a negative duration); throws for a null duration as the call does.
     */
    public static long sleepNanos(Duration duration) {
        long nanos = TimeUnit.NANOSECONDS.convert(duration); // saturates
        return nanos < 0 ? -1 : nanos;
    }

    /** The deadline of a sleep of {@code nanos} (zero or more) from now. */
    public static long deadlineAfter(long nanos) {
        return Stasis.nanoTime() + nanos;
    }

    /** Overflow is harmless beyond here: deadlines are compared by difference, as {@code nanoTime} values must be. */
    private static long saturatedNanos(long millis, int nanos) {
        long whole = TimeUnit.MILLISECONDS.toNanos(millis);
        return whole > Long.MAX_VALUE - nanos ? Long.MAX_VALUE : whole + nanos;
    }

    /**
     * Sleeps until {@code deadline} on the offset clock: true when it has passed, false when the caller
     * must poll first (a checkpoint is pending) and then call again.
     *
     * @throws InterruptedException as {@code Thread.sleep} does: the thread was interrupted before or while
     *                              it slept, and its interrupt status is cleared
     */
    public static boolean sleepUntil(long deadline) throws InterruptedException {
        // Registered before the flag is read: raising it after this read wakes this thread.
        Wakeups.register(new Unpark(Thread.currentThread()));
        try {
            // Already pending on entry means the caller's poll just let it go (the checkpoint is not for this
            // thread, or not yet): wait a slice before polling again instead of spinning.
            boolean pendingOnEntry = Stasis.isPending();
            while (true) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("sleep interrupted");
                }
                long remaining = deadline - Stasis.nanoTime();
                if (remaining <= 0) {
                    return true;
                }
                if (pendingOnEntry) {
                    LockSupport.parkNanos(SleepCall.class, Math.min(remaining, PENDING_SLICE_NANOS));
                    if (Thread.interrupted()) {
                        throw new InterruptedException("sleep interrupted");
                    }
                    return deadline - Stasis.nanoTime() <= 0;
                }
                if (Stasis.isPending()) {
                    return false;
                }
                LockSupport.parkNanos(SleepCall.class, remaining);
            }
        } finally {
            Wakeups.unregister();
        }
    }

    /** Wakes a thread parked in {@link #sleepUntil(long)}: a spurious return from {@code parkNanos} is harmless there. */
    private static final class Unpark implements Runnable {
        private final Thread sleeper;

        Unpark(Thread sleeper) {
            this.sleeper = sleeper;
        }

        @Override
        public void run() {
            LockSupport.unpark(sleeper);
        }
    }
}
