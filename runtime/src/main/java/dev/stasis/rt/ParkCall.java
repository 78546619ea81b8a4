package dev.stasis.rt;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What the {@code LockSupport.park*} calls of instrumented code become (same names, same arguments). A
 * return from {@code park} without an {@code unpark} is legal and every correct caller re-checks its
 * condition in a loop, so a pending checkpoint simply wakes the thread (by {@code unpark}, which at worst
 * adds one more such spurious return later) and the caller's loop reaches its poll, where the thread is
 * captured. Nothing is lost: a permit the program gave is still there or was consumed by this return.
 */
public final class ParkCall {
    /** While a checkpoint is pending but does not take this thread, it parks at most this long per call. */
    private static final long PENDING_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private ParkCall() {
    }

    public static void park() {
        parkNanos(null, 0, true);
    }

    public static void park(Object blocker) {
        parkNanos(blocker, 0, true);
    }

    public static void parkNanos(long nanos) {
        parkNanos(null, nanos);
    }

    public static void parkNanos(Object blocker, long nanos) {
        if (nanos > 0) {
            parkNanos(blocker, nanos, false);
        }
    }

    public static void parkUntil(long deadline) {
        parkUntil(null, deadline);
    }

    public static void parkUntil(Object blocker, long deadline) {
        if (Stasis.isPending()) {
            LockSupport.parkUntil(blocker, Math.min(deadline, System.currentTimeMillis() + 1));
            return;
        }
        Wakeups.register(new UnparkWake(Thread.currentThread()));
        try {
            if (!Stasis.isPending()) {
                LockSupport.parkUntil(blocker, deadline);
            }
        } finally {
            Wakeups.unregister();
        }
    }

    /** Parks for {@code nanos}, or until unparked when {@code untimed}; returns early for a pending checkpoint. */
    private static void parkNanos(Object blocker, long nanos, boolean untimed) {
        if (Stasis.isPending()) {
            // The caller's poll let this thread go: wait a slice, then let its loop poll again, rather than spin.
            LockSupport.parkNanos(blocker, untimed ? PENDING_SLICE_NANOS : Math.min(nanos, PENDING_SLICE_NANOS));
            return;
        }
        Wakeups.register(new UnparkWake(Thread.currentThread()));
        try {
            if (Stasis.isPending()) {
                return; // raised since the read above: the wake-up may have run before registration
            }
            if (untimed) {
                LockSupport.park(blocker);
            } else {
                LockSupport.parkNanos(blocker, nanos);
            }
        } finally {
            Wakeups.unregister();
        }
    }
}
