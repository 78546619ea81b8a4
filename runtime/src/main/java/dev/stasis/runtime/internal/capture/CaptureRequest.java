package dev.stasis.runtime.internal.capture;

import dev.stasis.rt.Frame;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One checkpoint's handshake with the thread it captures.
 *
 * <p>Both ends move the phase with compare-and-set, so a timeout and a thread that has just decided
 * to unwind can never both win: either the thread claims the request (and the coordinator waits for
 * it to park) or the coordinator cancels it (and the thread runs on). A thread that reaches the
 * bottom of an abandoned request does not park; it rewinds at once.
 */
final class CaptureRequest {
    enum Phase { REQUESTED, CLAIMED, PARKED, CANCELLED }

    final Thread target;
    final long requestedAtNanos = System.nanoTime();
    private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.REQUESTED);
    private final CountDownLatch parked = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    /** Why the last capturability check failed, e.g. {@code at a.B.c(B.java:12): ...}. */
    volatile String blocker;
    /** The captured frames, bottom first; set before the thread parks. */
    private volatile List<Frame> frames;

    CaptureRequest(Thread target) {
        this.target = target;
    }

    Phase phase() {
        return phase.get();
    }

    /** The target thread, at a capturable poll: true if it must now unwind. */
    boolean claim() {
        return phase.compareAndSet(Phase.REQUESTED, Phase.CLAIMED);
    }

    /**
     * The target thread, at its bottom frame: publishes the frames and waits for the release.
     * Returns at once if the coordinator abandoned the request meanwhile.
     */
    void parkWith(List<Frame> bottomFirst) {
        frames = bottomFirst;
        if (!phase.compareAndSet(Phase.CLAIMED, Phase.PARKED)) {
            return;
        }
        parked.countDown();
        boolean interrupted = false;
        while (true) {
            try {
                released.await();
                break;
            } catch (InterruptedException e) {
                // The application's interrupt belongs to the application: keep it for later.
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The coordinator: waits until the thread parked; true if it did. */
    boolean awaitParked(long nanos) throws InterruptedException {
        return parked.await(nanos, TimeUnit.NANOSECONDS);
    }

    /** The coordinator: cancels unless the thread already claimed it; true if cancelled. */
    boolean cancelIfUnclaimed() {
        return phase.compareAndSet(Phase.REQUESTED, Phase.CANCELLED);
    }

    /** The coordinator: abandons a claimed request the thread never finished unwinding for. */
    boolean abandonIfNotParked() {
        return phase.compareAndSet(Phase.CLAIMED, Phase.CANCELLED);
    }

    List<Frame> frames() {
        return frames;
    }

    /** The coordinator: lets the parked thread rewind. Idempotent. */
    void release() {
        released.countDown();
    }
}
