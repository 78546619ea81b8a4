package dev.stasis.runtime.internal.capture;

import java.util.concurrent.Callable;

/** Runs Stasis's own work on a thread of its own with a large stack (Kryo recurses along object graphs). */
public final class StasisThreads {
    /** A deep linked structure needs a frame or two per element; the stack is only reserved, not committed. */
    private static final long STACK_BYTES = 1L << 30;

    private StasisThreads() {
    }

    /** Runs {@code task} on a new thread named {@code stasis-<role>}, waits, and rethrows what it threw. */
    public static <T> T call(String role, Callable<T> task) throws Exception {
        Object[] result = new Object[1];
        Throwable[] failure = new Throwable[1];
        Thread worker = new Thread(null, () -> {
            try {
                result[0] = task.call();
            } catch (Throwable t) {
                failure[0] = t;
            }
        }, "stasis-" + role, STACK_BYTES);
        worker.setDaemon(true);
        worker.start();
        boolean interrupted = false;
        while (true) {
            try {
                worker.join();
                break;
            } catch (InterruptedException e) {
                // The task holds state the caller depends on (a parked thread, a half-restored heap): finish it.
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
