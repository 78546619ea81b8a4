package dev.stasis.runtime.internal.capture;

import dev.stasis.rt.Frame;
import java.util.List;

/** A thread stopped at its bottom frame for a checkpoint, with the frames it saved, bottom first. */
public record ParkedThread(Thread thread, List<Frame> bottomFirst) {
    public ParkedThread {
        bottomFirst = List.copyOf(bottomFirst);
    }
}
