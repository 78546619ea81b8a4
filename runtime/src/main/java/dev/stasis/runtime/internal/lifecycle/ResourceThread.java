package dev.stasis.runtime.internal.lifecycle;

import dev.stasis.runtime.internal.capture.ApplicationThreads;
import java.util.concurrent.Callable;

/**
 * Runs the application's resources on a thread that passes on what an application thread would: the
 * main thread's group and no daemon flag, inherited by any thread a resource starts.
 */
final class ResourceThread {
    private ResourceThread() {
    }

    static <T> T run(Callable<T> task) {
        Object[] result = new Object[1];
        Throwable[] failure = new Throwable[1];
        Thread main = ApplicationThreads.mainThread();
        ThreadGroup group = main == null ? null : main.getThreadGroup();
        Thread worker = new Thread(group, () -> {
            try {
                result[0] = task.call();
            } catch (Throwable t) {
                failure[0] = t;
            }
        }, "stasis-crac-resources");
        worker.setDaemon(false);
        worker.start();
        boolean interrupted = false;
        while (true) {
            try {
                worker.join();
                break;
            } catch (InterruptedException e) {
                // The resources are half notified: let them finish, so the application's state stays consistent.
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure[0] instanceof RuntimeException e) {
            throw e;
        }
        if (failure[0] instanceof Error e) {
            throw e;
        }
        if (failure[0] != null) {
            throw new IllegalStateException(failure[0]);
        }
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        return value;
    }
}
