package dev.stasis.runtime.internal.lifecycle;

import dev.stasis.runtime.internal.capture.ApplicationThreads;
import dev.stasis.runtime.internal.capture.StasisThreads;
import java.util.concurrent.Callable;

/**
 * Runs the application's resources on a thread that passes on what an application thread would: the
 * main thread's group and no daemon flag, inherited by any thread a resource starts.
 */
final class ResourceThread {
    private ResourceThread() {
    }

    static <T> T run(Callable<T> task) {
        Thread main = ApplicationThreads.mainThread();
        try {
            return StasisThreads.callOn(main == null ? null : main.getThreadGroup(), "stasis-crac-resources", false, 0,
                    task);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
