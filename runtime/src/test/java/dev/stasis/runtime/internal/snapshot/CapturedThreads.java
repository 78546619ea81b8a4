package dev.stasis.runtime.internal.snapshot;

import dev.stasis.rt.Frame;
import java.util.List;

/** Captured threads for snapshots that tests write by hand. */
public final class CapturedThreads {
    private CapturedThreads() {
    }

    /** The main thread with these frames (bottom first); it reads back as the reading JVM's main thread. */
    public static ThreadCapture main(List<Frame> frames) {
        return new ThreadCapture("main", true, new Thread("main"), frames);
    }

    /** Another captured thread, not started; it reads back as a recreated thread of that name. */
    public static ThreadCapture other(String name, boolean daemon, List<Frame> frames) {
        Thread thread = new Thread(name);
        thread.setDaemon(daemon);
        return new ThreadCapture(name, false, thread, frames);
    }
}
