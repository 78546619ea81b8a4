package dev.stasis.runtime.internal.capture;

import java.util.concurrent.Callable;

/** Runs Stasis's own work on a thread of its own with a large stack (Kryo recurses along object graphs). */
public final class StasisThreads {
    /** A deep linked structure needs a frame or two per element; the stack is only reserved, not committed. */
    private static final long STACK_BYTES = 1L << 30;

    private StasisThreads() {
    }

    /** Runs {@code task} on a new daemon thread named {@code stasis-<role>}, waits, and rethrows what it threw. */
    public static <T> T call(String role, Callable<T> task) throws Exception {
        return callOn(null, "stasis-" + role, true, STACK_BYTES, task);
    }

    /**
     * Runs {@code task} on a new thread of {@code group} (null: the caller's) with the given name, daemon flag and
     * stack size (0: the JVM's default), waits for it even when interrupted (the flag is passed on), and
     * rethrows what it threw.
     */
    public static <T> T callOn(ThreadGroup group, String name, boolean daemon, long stackBytes, Callable<T> task)
            throws Exception {
        Object[] result = new Object[1];
        Throwable[] failure = new Throwable[1];
        Thread worker = new Thread(group, () -> {
            try {
                result[0] = task.call();
            } catch (Throwable t) {
                failure[0] = t;
            }
        }, name, stackBytes);
        worker.setDaemon(daemon);
        worker.start();
        boolean interrupted = false;
        while (true) {
            try {
                worker.join();
                break;
            } catch (InterruptedException e) {
                // The task holds state the caller depends on (a parked thread, a half-restored heap, resources
                // half notified): finish it.
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure[0] instanceof Exception exception) {
            throw exception;
        }
        if (failure[0] instanceof Error error) {
            throw error;
        }
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        return value;
    }
}
