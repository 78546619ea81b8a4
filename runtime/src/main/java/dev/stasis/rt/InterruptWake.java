package dev.stasis.rt;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Cuts short a blocking call that only an interrupt can end early ({@code BlockingQueue.take},
 * {@code CountDownLatch.await}, {@code Object.wait} ...), and afterwards tells the program's interrupts
 * from the one it sent. Those calls change nothing when interrupted (no element taken, no permit
 * acquired), so the call can simply be made again after the caller's poll.
 * <pre>
 *   if (Thread.currentThread().isInterrupted()) return call();   // the program's interrupt: call throws as usual
 *   InterruptWake wake = InterruptWake.arm();                     // before reading Stasis.isPending()
 *   try {
 *       result = call();
 *       wake.disarm();                                            // clears an interrupt it sent meanwhile
 *       return result;
 *   } catch (InterruptedException e) {
 *       if (wake.disarm()) return NOT_YET;                        // ours: poll, then call again
 *       throw e;                                                  // the program's
 *   }
 * </pre>
 * An interrupt the program sends to the same thread within the moment between this wake-up's interrupt
 * and the call's return is folded into it and lost (one interrupt status holds both); ARCHITECTURE.md
 * documents it.
 */
public final class InterruptWake implements Runnable {
    private static final int BLOCKED = 0;
    private static final int WAKING = 1;
    private static final int WOKEN = 2;
    private static final int DONE = 3;

    private final Thread thread;
    private final AtomicInteger state = new AtomicInteger(BLOCKED);

    private InterruptWake(Thread thread) {
        this.thread = thread;
    }

    /** Registers the current thread to be interrupted when a checkpoint becomes pending. */
    public static InterruptWake arm() {
        InterruptWake wake = new InterruptWake(Thread.currentThread());
        Wakeups.register(wake);
        return wake;
    }

    /** The checkpoint's side: interrupts the thread once, unless it has already left the call. */
    @Override
    public void run() {
        if (state.compareAndSet(BLOCKED, WAKING)) {
            thread.interrupt();
            state.set(WOKEN);
        }
    }

    /**
     * The blocked thread's side, once the call returned or threw: true when this wake-up interrupted it, in
     * which case the interrupt status it set is cleared (an {@code InterruptedException} caught is then ours).
     */
    public boolean disarm() {
        Wakeups.unregister();
        if (state.compareAndSet(BLOCKED, DONE)) {
            return false;
        }
        while (state.get() != WOKEN) {
            Thread.onSpinWait(); // the waker is between its compare-and-set and the interrupt
        }
        Thread.interrupted();
        return true;
    }
}
