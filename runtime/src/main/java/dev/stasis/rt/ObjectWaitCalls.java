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
 * the method, or the monitor of the {@code synchronized} block the wait is in, when the instrumentation
 * made that block's save path exit it and its way back enter it again: then the call is
 * {@code beginInBlock(monitor, ..., blockMonitor)}, and a cut wait whose monitor is the block's lets the
 * very next poll (the loop's) capture the thread holding it ({@link #takeReleasedAtPoll}). Any other
 * block's monitor makes the poll refuse the capture, naming it (see ARCHITECTURE.md, "Blocking calls"). When a checkpoint
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
    /** The monitor of the {@code synchronized} block the wait is in, when the block's code can let go of it. */
    private static final int BLOCK = 3;
    private static final int SIZE = 4;

    /** Per thread: the block monitor of a wait just cut short, which the next poll may capture it holding. */
    private static final ThreadLocal<Object> RELEASED_AT_POLL = new ThreadLocal<>();
    /** Set, for good, before the first such note: until then no poll needs to look for one. */
    private static volatile boolean anyReleasedAtPoll;

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

    /** {@code monitor.wait()} in a {@code synchronized (block)} whose save path exits it (see the class comment). */
    public static Object[] beginInBlock(Object monitor, Object block) {
        return inBlock(begin(monitor), block);
    }

    /** {@code monitor.wait(millis)} in a {@code synchronized (block)}. */
    public static Object[] beginInBlock(Object monitor, long millis, Object block) {
        return inBlock(begin(monitor, millis), block);
    }

    /** {@code monitor.wait(millis, nanos)} in a {@code synchronized (block)}. */
    public static Object[] beginInBlock(Object monitor, long millis, int nanos, Object block) {
        return inBlock(begin(monitor, millis, nanos), block);
    }

    private static Object[] inBlock(Object[] call, Object block) {
        // Waiting on another object than the block's leaves the block's monitor held: no capture there.
        call[BLOCK] = block == call[MONITOR] ? block : null;
        return call;
    }

    /** False until some thread's block wait was first cut short: then no poll has a note to take. */
    public static boolean anyReleasedAtPoll() {
        return anyReleasedAtPoll;
    }

    /**
     * The block monitor the current thread's wait was cut short in, if it was, forgotten as it is read: the poll
     * that reads it is the wait loop's, the only one whose save path exits that monitor. Null otherwise.
     */
    public static Object takeReleasedAtPoll() {
        Object monitor = RELEASED_AT_POLL.get();
        if (monitor != null) {
            RELEASED_AT_POLL.set(null);
        }
        return monitor;
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
            RELEASED_AT_POLL.set(null); // the loop's poll did not read it: no checkpoint took the thread there
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
                return cut(call);
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
                return cut(call);
            }
            throw e;
        } catch (RuntimeException | Error e) {
            wake.disarm(); // IllegalMonitorStateException: no wake-up may stay registered
            throw e;
        }
    }

    /** Ends this call of a wait at the loop's poll; the next call returns at once. */
    private static boolean cut(Object[] call) {
        call[CUT] = Boolean.TRUE;
        if (call[BLOCK] != null) {
            anyReleasedAtPoll = true; // before the note, which this same thread's next poll reads
            RELEASED_AT_POLL.set(call[BLOCK]);
        }
        return false;
    }

    /** {@code wait} for at least {@code nanos} (it rounds up to milliseconds, as the original does). */
    private static void waitNanos(Object monitor, long nanos) throws InterruptedException {
        long millis = TimeUnit.NANOSECONDS.toMillis(nanos);
        monitor.wait(nanos % 1_000_000 == 0 ? millis : millis + 1);
    }
}
