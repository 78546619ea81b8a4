package dev.stasis.runtime.internal.snapshot;

import dev.stasis.rt.Frame;
import dev.stasis.runtime.internal.snapshot.executors.PoolTask;
import java.util.List;

/**
 * One application thread as captured: the thread itself (written as what identifies it, see the thread
 * serializer, so every reference to it in the graph reads back as the same recreated thread) and its frames.
 *
 * @param name   the thread's name when it was captured (kept apart from the thread for reports)
 * @param main   the JVM's main thread: a resume rewinds it on the main thread of the new JVM instead of recreating it
 * @param frames the thread's captured frames, bottom (entry method) first
 * @param poolTask for a {@code ThreadPoolExecutor} worker, the task a resume runs again on a worker of the
 *                 recreated pool (the thread itself is not recreated); null for every other thread
 */
public record ThreadCapture(String name, boolean main, Thread thread, List<Frame> frames, PoolTask poolTask) {
    public ThreadCapture {
        frames = List.copyOf(frames);
    }

    public ThreadCapture(String name, boolean main, Thread thread, List<Frame> frames) {
        this(name, main, thread, frames, null);
    }

    /** A captured thread, named as it is now. */
    public static ThreadCapture of(Thread thread, boolean main, List<Frame> frames) {
        return of(thread, main, frames, null);
    }

    /** A captured thread, named as it is now; {@code poolTask} for a pool worker. */
    public static ThreadCapture of(Thread thread, boolean main, List<Frame> frames, PoolTask poolTask) {
        return new ThreadCapture(thread.getName(), main, thread, frames, poolTask);
    }

    public boolean poolWorker() {
        return poolTask != null;
    }
}
