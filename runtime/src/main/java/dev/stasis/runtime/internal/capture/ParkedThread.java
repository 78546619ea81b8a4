package dev.stasis.runtime.internal.capture;

import dev.stasis.rt.Frame;
import dev.stasis.runtime.internal.snapshot.executors.PoolTask;
import java.util.List;

/**
 * A thread stopped at its bottom frame for a checkpoint, with the frames it saved, bottom first; for a pool
 * worker, the task a resume runs again on the recreated pool (else null).
 */
public record ParkedThread(Thread thread, List<Frame> bottomFirst, PoolTask poolTask) {
    public ParkedThread {
        bottomFirst = List.copyOf(bottomFirst);
    }

    public ParkedThread(Thread thread, List<Frame> bottomFirst) {
        this(thread, bottomFirst, null);
    }
}
