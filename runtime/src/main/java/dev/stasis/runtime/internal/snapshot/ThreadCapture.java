package dev.stasis.runtime.internal.snapshot;

import dev.stasis.rt.Frame;
import java.util.List;

/**
 * One application thread as captured: enough to recreate it and let it rewind.
 *
 * @param frames the thread's captured frames, bottom (entry method) first
 */
public record ThreadCapture(String name, boolean daemon, int priority, List<Frame> frames) {
    public ThreadCapture {
        frames = List.copyOf(frames);
    }
}
