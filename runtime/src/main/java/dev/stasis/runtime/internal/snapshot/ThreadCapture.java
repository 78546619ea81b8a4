package dev.stasis.runtime.internal.snapshot;

import dev.stasis.rt.Frame;
import java.util.List;

/**
 * One application thread as captured: the thread itself (written as what identifies it, see the thread
 * serializer, so every reference to it in the graph reads back as the same recreated thread) and its frames.
 *
 * @param name   the thread's name when it was captured (kept apart from the thread for reports)
 * @param main   the JVM's main thread: a resume rewinds it on the main thread of the new JVM instead of recreating it
 * @param frames the thread's captured frames, bottom (entry method) first
 */
public record ThreadCapture(String name, boolean main, Thread thread, List<Frame> frames) {
    public ThreadCapture {
        frames = List.copyOf(frames);
    }

    /** A captured thread, named as it is now. */
    public static ThreadCapture of(Thread thread, boolean main, List<Frame> frames) {
        return new ThreadCapture(thread.getName(), main, thread, frames);
    }
}
