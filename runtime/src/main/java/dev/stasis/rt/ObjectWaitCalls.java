package dev.stasis.rt;

import java.util.concurrent.TimeUnit;

/**
 * What a call of {@code Object.wait()}, {@code wait(millis)} or {@code wait(millis, nanos)} in
 * instrumented code becomes:
 * <pre>
 *   Object[] call = ObjectWaitCalls.begin(monitor[, millis[, nanos]]);   // a new local
 *   WAIT: if (!ObjectWaitCalls.await(call)) goto WAIT;                  // the loop header gets a poll
 * </pre>
 * A thread is captured there when the monitor held around the wait is a {@code synchronized} method's (on
 * this frame or one below), which unwinding releases by returning and rewinding takes again by entering
 * the method; inside a {@code synchronized} block the capture is refused at the poll, naming the block's
 * monitor (see ARCHITECTURE.md, "Blocking calls"). When a checkpoint
 * becomes pending, {@link #await} is woken by an {@link InterruptWake}, notes that in {@code call} and
 * returns false; the thread is captured at the loop's poll. The next call returns true at once, without
 * waiting: to the program the wait ended with a spurious wake-up, which {@code Object.wait} allows, so a
 * notification that went elsewhere or came in between is not lost (the program's loop checks its
 * condition again, as it must). A timed wait keeps its deadline on the {@link Stasis#nanoTime() offset
 * clock}.
 */
public final class ObjectWaitCalls {
    /** While a checkpoint is pending but does not take this thread, it rechecks this often rather than spin. */
    private static final long PENDING_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private static final int MONITOR = 0;
    /** Offset-clock nanos ({@code Long}), null for an untimed wait. */
    private static final int DEADLINE = 1;
    /** {@code Boolean.TRUE} after a wait was cut short: the next call returns at once. */
    private static final int CUT = 2;
    private static final int SIZE = 3;

    private ObjectWaitCalls() {
    }

    /** {@code monitor.wait()}. */
    public static Object[] begin(Object monitor) {
        return call(monitor, null);
    }

    /** {@code monitor.wait(millis)}; {@code wait(0)} waits without a timeout, as the original. */
    public static Object[] begin(Object monitor, long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("timeout value is negative");
        }
        return call(monitor, millis == 0 ? null : deadline(TimeUnit.MILLISECONDS.toNanos(millis)));
    }

    /** {@code monitor.wait(millis, nanos)}. */
    public static Object[] begin(Object monitor, long millis, int nanos) {
        if (millis < 0) {
            throw new IllegalArgumentException("timeoutMillis value is negative");
        }
        if (nanos < 0 || nanos > 999_999) {
            throw new IllegalArgumentException("nanosecond timeout value out of range");
        }
        long total = TimeUnit.MILLISECONDS.toNanos(millis) + nanos; // saturated by toNanos, nanos < 1 ms
        return call(monitor, millis == 0 && nanos == 0 ? null : deadline(total < 0 ? Long.MAX_VALUE : total));
    }

    private static Object[] call(Object monitor, Long deadline) {
        if (monitor == null) {
            throw new NullPointerException("the object to wait on is null");
        }
        Object[] call = new Object[SIZE];
        call[MONITOR] = monitor;
        call[DEADLINE] = deadline;
        return call;
    }

    private static Long deadline(long nanos) {
        return Stasis.nanoTime() + Math.min(nanos, ConditionCalls.MAX_WAIT_NANOS);
    }

    /**
     * Waits as the original would: true when it returned (notified, timed out or woken spuriously), false
     * when a checkpoint is pending and the caller must poll first and then call again.
     *
     * @throws InterruptedException as {@code Object.wait}: the program interrupted the thread
     * @throws IllegalMonitorStateException as {@code Object.wait}: the thread does not own the monitor
     */
    public static boolean await(Object[] call) throws InterruptedException {
        if (call[CUT] != null) {
            call[CUT] = null;
            return true;
        }
        Object monitor = call[MONITOR];
        Long deadline = (Long) call[DEADLINE];
        if (!Thread.holdsLock(monitor)) {
            throw new IllegalMonitorStateException("current thread is not owner");
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        // Armed before the flag is read: raising it after this read interrupts the wait.
        InterruptWake wake = InterruptWake.arm();
        try {
            boolean pendingOnEntry = Stasis.isPending();
            long remaining = deadline == null ? Long.MAX_VALUE : deadline - Stasis.nanoTime();
            if (remaining <= 0) {
                wake.disarm();
                return true;
            }
            if (pendingOnEntry) {
                waitNanos(monitor, Math.min(remaining, PENDING_SLICE_NANOS));
                wake.disarm();
                // Notified or not (a wait does not say), the thread goes back to the poll once, then returns.
                call[CUT] = Boolean.TRUE;
                return false;
            }
            if (deadline == null) {
                monitor.wait();
            } else {
                waitNanos(monitor, remaining);
            }
            wake.disarm();
            return true;
        } catch (InterruptedException e) {
            if (wake.disarm()) {
                call[CUT] = Boolean.TRUE;
                return false;
            }
            throw e;
        } catch (RuntimeException | Error e) {
            wake.disarm(); // IllegalMonitorStateException: no wake-up may stay registered
            throw e;
        }
    }

    /** {@code wait} for at least {@code nanos} (it rounds up to milliseconds, as the original does). */
    private static void waitNanos(Object monitor, long nanos) throws InterruptedException {
        long millis = TimeUnit.NANOSECONDS.toMillis(nanos);
        monitor.wait(nanos % 1_000_000 == 0 ? millis : millis + 1);
    }
}
