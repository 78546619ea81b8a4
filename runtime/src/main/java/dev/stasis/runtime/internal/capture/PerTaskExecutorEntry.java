package dev.stasis.runtime.internal.capture;

import dev.stasis.runtime.internal.snapshot.threads.JdkThreadFields;
import java.lang.StackWalker.StackFrame;
import java.util.List;
import java.util.concurrent.Future;

/**
 * The bottom of a thread that a thread-per-task executor started for one task ({@code
 * Executors.newVirtualThreadPerTaskExecutor()}, {@code newThreadPerTaskExecutor(factory)}, JDK 21+): below the
 * application, {@code ThreadBoundFuture.run} and {@code FutureTask.run} (through {@code Executors.RunnableAdapter}
 * for a {@code Runnable}) for {@code submit}, or {@code TaskRunner.run} for {@code execute}, then the thread's own
 * entry. The thread's task is that JDK object, so a resume that starts the recreated thread runs it again, and each
 * of these frames is stateless up to its call into the application: the bottom application frame is entered again
 * and rewinds. The one condition: a {@code submit}ted task still running ({@code NEW}); one cancelled while it runs
 * would not call the application again, so it is waited for.
 */
final class PerTaskExecutorEntry {
    private static final String EXECUTOR = "java.util.concurrent.ThreadPerTaskExecutor";
    private static final String BOUND_FUTURE_RUN = EXECUTOR + "$ThreadBoundFuture.run";
    private static final String TASK_RUNNER_RUN = EXECUTOR + "$TaskRunner.run";
    private static final String FUTURE_TASK_RUN = "java.util.concurrent.FutureTask.run";
    private static final String RUNNABLE_ADAPTER_CALL = "java.util.concurrent.Executors$RunnableAdapter.call";

    /** Where the thread's own entry frames start below the executor's, or why it cannot be captured. */
    record Entry(int threadEntry, String refusal) {
    }

    private PerTaskExecutorEntry() {
    }

    /**
     * The executor's frames from {@code applicationFrames} down; null if the thread does not run a per-task
     * executor's task.
     */
    static Entry inspect(List<StackFrame> frames, int applicationFrames) {
        int i = applicationFrames;
        if (i < frames.size() && name(frames.get(i)).equals(TASK_RUNNER_RUN)) {
            return new Entry(i + 1, null);
        }
        if (i < frames.size() && name(frames.get(i)).equals(RUNNABLE_ADAPTER_CALL)) {
            i++;
        }
        if (i + 1 < frames.size() && name(frames.get(i)).equals(FUTURE_TASK_RUN)
                && name(frames.get(i + 1)).equals(BOUND_FUTURE_RUN)) {
            Runnable task = JdkThreadFields.task(Thread.currentThread());
            if (task instanceof Future<?> future && future.isDone()) {
                return new Entry(i + 2, "the task this thread runs for its executor was cancelled while it runs, so "
                        + "running it again would not reach the application; a checkpoint waits until it ends");
            }
            return new Entry(i + 2, null);
        }
        return null;
    }

    private static String name(StackFrame frame) {
        return frame.getClassName() + "." + frame.getMethodName();
    }
}
