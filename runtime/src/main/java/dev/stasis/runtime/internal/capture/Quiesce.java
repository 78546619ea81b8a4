package dev.stasis.runtime.internal.capture;

import dev.stasis.rt.Frame;
import dev.stasis.runtime.internal.snapshot.executors.PoolTask;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * One checkpoint's handshake with every application thread. While it is open, each application thread
 * that reaches a capturable poll claims its place, unwinds and parks at its bottom frame. The coordinator
 * closes it only at a moment when every live application thread has parked and none is still unwinding:
 * that moment is the consistent cut the snapshot is written at. A thread that reaches a poll after the cut
 * (one a JDK or Stasis thread started meanwhile) waits there until the release, so it changes nothing under
 * the writer. An abandoned quiesce (timeout, failure) lets threads still unwinding rewind at once, and the
 * release lets every parked one go.
 *
 * <p>All state changes happen under this object's monitor, which is also what the coordinator waits on.
 */
final class Quiesce {
    final long requestedAtNanos = System.nanoTime();
    final ApplicationThreads applicationThreads;
    private final Map<Thread, ParkedThread> parked = new IdentityHashMap<>();
    private final Map<Thread, Boolean> unwinding = new IdentityHashMap<>();
    private final CountDownLatch released = new CountDownLatch(1);
    /** Why each thread's last capturability check failed, e.g. {@code at a.B.c(B.java:12): ...}. */
    private final Map<Thread, String> blockers = new ConcurrentHashMap<>();
    private boolean open = true;
    private boolean abandoned;

    Quiesce(ApplicationThreads applicationThreads) {
        this.applicationThreads = applicationThreads;
    }

    /** A thread at a capturable poll: true if it must now unwind. */
    synchronized boolean claim(Thread thread) {
        if (!open || parked.containsKey(thread) || unwinding.containsKey(thread)) {
            return false;
        }
        unwinding.put(thread, Boolean.TRUE);
        blockers.remove(thread);
        return true;
    }

    synchronized boolean isOpen() {
        return open;
    }

    synchronized boolean hasParked(Thread thread) {
        return parked.containsKey(thread);
    }

    void blockedAt(Thread thread, String blocker) {
        blockers.put(thread, blocker);
    }

    String blocker(Thread thread) {
        return blockers.get(thread);
    }

    /**
     * A thread at its bottom frame: publishes its frames and waits for the release. Returns at once when the
     * quiesce was abandoned meanwhile. The program's interrupts that arrive while it waits are kept for later.
     */
    void parkWith(Thread thread, List<Frame> bottomFirst, PoolTask poolTask) {
        synchronized (this) {
            unwinding.remove(thread);
            if (abandoned) {
                notifyAll();
                return;
            }
            parked.put(thread, new ParkedThread(thread, bottomFirst, poolTask));
            notifyAll();
        }
        awaitRelease();
    }

    /** A thread that reached a poll after the cut: waits for the release without being captured. */
    void awaitRelease() {
        boolean interrupted = false;
        while (true) {
            try {
                released.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the application's interrupt belongs to the application
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The coordinator: closes the quiesce if every one of {@code live} has parked and no thread is unwinding,
     * and returns the parked threads ({@code main} first, then by thread id); null if not yet.
     */
    synchronized List<ParkedThread> closeIfAllParked(Collection<Thread> live, Thread main) {
        if (!open || !unwinding.isEmpty()) {
            return null;
        }
        for (Thread thread : live) {
            if (!parked.containsKey(thread)) {
                return null;
            }
        }
        open = false;
        List<ParkedThread> cut = new ArrayList<>(parked.values());
        cut.sort(Comparator.comparing((ParkedThread p) -> p.thread() != main).thenComparing(p -> p.thread().getId()));
        return cut;
    }

    /** The coordinator: waits up to {@code millis} for a thread to park or finish unwinding. */
    synchronized void awaitChange(long millis) throws InterruptedException {
        if (open && millis > 0) {
            wait(millis);
        }
    }

    /** The coordinator, on failure: nobody else claims, and threads still unwinding do not park. */
    synchronized void abandon() {
        open = false;
        abandoned = true;
    }

    synchronized boolean isParked(Thread thread) {
        return parked.containsKey(thread);
    }

    synchronized boolean isUnwinding(Thread thread) {
        return unwinding.containsKey(thread);
    }

    synchronized int parkedCount() {
        return parked.size();
    }

    /** Lets every parked thread rewind, and every thread waiting after the cut go on. Idempotent. */
    void release() {
        released.countDown();
    }
}
