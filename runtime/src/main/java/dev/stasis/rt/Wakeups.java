package dev.stasis.rt;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Threads blocked in a call that a pending checkpoint must cut short, each with the way to wake it. A
 * rewritten blocking call (a sleep, a queue's {@code take}, a condition's {@code await} ...) registers
 * the current thread here before it reads {@link Stasis#isPending()} and blocks; raising the pending
 * switch runs every registered wake-up after the flag is visible, so a thread that registered and then
 * read {@code false} is woken, and one that reads {@code true} does not block. The call then returns to
 * its caller's poll, where the thread is captured (see ARCHITECTURE.md, "Blocking calls").
 *
 * <p>A wake-up must be safe to run more than once and from any thread, and must never lose what the
 * blocked call was waiting for: an element, a permit, a notification or an interrupt of the program.
 */
public final class Wakeups {
    private static final Map<Thread, Runnable> BLOCKED = new ConcurrentHashMap<>();

    private Wakeups() {
    }

    /** The current thread is about to block; {@code wake} cuts its wait short. Replaces an earlier registration. */
    public static void register(Runnable wake) {
        BLOCKED.put(Thread.currentThread(), wake);
    }

    /** The current thread no longer blocks. */
    public static void unregister() {
        BLOCKED.remove(Thread.currentThread());
    }

    /**
     * Called once a checkpoint is pending: wakes every registered thread. The engine calls it again once the
     * checkpoint can take threads, for one woken while it could not yet.
     */
    public static void wakeAll() {
        for (Runnable wake : BLOCKED.values()) {
            wake.run();
        }
    }
}
