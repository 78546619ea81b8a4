package dev.stasis.runtime.internal.capture;

import dev.stasis.rt.Frame;
import dev.stasis.runtime.CheckpointException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Brings the application thread to a stop at a capturable point, lets the caller use its frames
 * while it is parked, and always lets it go again: a failed checkpoint leaves the application
 * running. One capture at a time.
 */
public final class CheckpointCoordinator {
    /** What to do with the captured frames (bottom first) while their thread is parked. */
    @FunctionalInterface
    public interface WhileParked<T> {
        T run(List<Frame> bottomFirst) throws Exception;
    }

    /** What the action returned, and how long the thread was kept from running. */
    public record Captured<T>(T result, long pauseNanos) {
    }

    private static final long ALIVE_CHECK_NANOS = 50_000_000;

    private final PortableEngine engine;
    private final ApplicationThreads threads;

    public CheckpointCoordinator(PortableEngine engine, ApplicationThreads threads) {
        this.engine = engine;
        this.threads = threads;
    }

    public synchronized <T> Captured<T> capture(Thread main, Duration timeout, WhileParked<T> action)
            throws CheckpointException {
        if (!main.isAlive()) {
            throw new CheckpointException("cannot checkpoint: thread " + main.getName()
                    + " has ended, so there is no program state left to save");
        }
        if (main == Thread.currentThread()) {
            throw new CheckpointException("cannot checkpoint from thread " + main.getName()
                    + " itself: it would wait for itself to stop. Request checkpoints from another thread "
                    + "(JMX, interval=, the CLI).");
        }
        List<String> others = threads.othersThan(main);
        if (!others.isEmpty()) {
            throw new CheckpointException("cannot checkpoint: this version checkpoints single-threaded programs; threads "
                    + String.join(", ", others) + " are running besides " + main.getName()
                    + ". Checkpoint before they start or after they end.");
        }
        CaptureRequest request = engine.request(main);
        try {
            awaitParked(request, timeout);
            T result = action.run(request.frames());
            return new Captured<>(result, System.nanoTime() - request.requestedAtNanos);
        } catch (CheckpointException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CheckpointException("checkpoint interrupted while waiting for thread " + main.getName()
                    + "; the program runs on");
        } catch (Exception | Error e) {
            throw new CheckpointException(reasonOf(e) + "; the program runs on and the previous snapshots are intact", e);
        } finally {
            // Cancel first, so a thread that has not claimed the request never will; then withdraw and
            // release, so a parked thread (or one about to park) rewinds and nobody captures it again.
            if (!request.cancelIfUnclaimed()) {
                request.abandonIfNotParked();
            }
            engine.withdraw(request);
            request.release();
        }
    }

    /** An I/O error's message says what failed where (the writer adds the snapshot and directory); anything else needs its type. */
    private static String reasonOf(Throwable e) {
        return e instanceof IOException && e.getMessage() != null ? e.getMessage() : e.toString();
    }

    private void awaitParked(CaptureRequest request, Duration timeout) throws CheckpointException, InterruptedException {
        long nanos = timeout.toNanos();
        if (awaitParkedWhileAlive(request, nanos)) {
            return;
        }
        if (request.cancelIfUnclaimed()) {
            throw timedOut(request, timeout);
        }
        // The thread claimed the request just in time and is returning frame by frame: give it as long again.
        if (awaitParkedWhileAlive(request, nanos)) {
            return;
        }
        if (request.abandonIfNotParked()) {
            throw new CheckpointException("checkpoint abandoned: thread " + request.target.getName()
                    + " started to unwind but did not reach its bottom frame within " + format(timeout)
                    + "; it runs on");
        }
        // It parked between the wait and the abandon: the latch is counted down right after.
        request.awaitParked(Long.MAX_VALUE);
    }

    /** Waits in slices, so a thread that ends meanwhile does not keep the checkpoint waiting for nothing. */
    private static boolean awaitParkedWhileAlive(CaptureRequest request, long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        while (request.target.isAlive()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            if (request.awaitParked(Math.min(left, ALIVE_CHECK_NANOS))) {
                return true;
            }
        }
        return request.awaitParked(0);
    }

    private static CheckpointException timedOut(CaptureRequest request, Duration timeout) {
        Thread thread = request.target;
        if (!thread.isAlive()) {
            return new CheckpointException("checkpoint abandoned: thread " + thread.getName()
                    + " ended before it reached a capturable point");
        }
        String where = request.blocker;
        if (where != null) {
            return new CheckpointException("checkpoint timed out after " + format(timeout) + ": thread "
                    + thread.getName() + " could not stop at a capturable point: " + where);
        }
        return new CheckpointException("checkpoint timed out after " + format(timeout) + ": thread "
                + thread.getName() + " did not reach a poll (it is blocked, or in code that is not instrumented): "
                + whereIs(thread.getStackTrace()));
    }

    /** The application frame the thread is in, and the JDK method it called, if any. */
    private static String whereIs(StackTraceElement[] stack) {
        if (stack.length == 0) {
            return "no stack available";
        }
        for (int i = 0; i < stack.length; i++) {
            if (!StackInspector.isJdk(stack[i].getClassName())) {
                return i == 0 ? "at " + StackInspector.describe(stack[0])
                        : "in " + stack[i - 1].getClassName() + "." + stack[i - 1].getMethodName() + " called at "
                        + StackInspector.describe(stack[i]);
            }
        }
        return "in " + StackInspector.describe(stack[0]);
    }

    static String format(Duration duration) {
        if (duration.toMillis() % 1000 == 0) {
            return duration.toSeconds() + "s";
        }
        return duration.toMillis() + "ms";
    }
}
