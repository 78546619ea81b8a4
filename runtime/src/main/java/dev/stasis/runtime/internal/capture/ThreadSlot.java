package dev.stasis.runtime.internal.capture;

import dev.stasis.rt.Frame;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The capture state of one thread. Only its own thread reads and writes it (it lives in a
 * {@code ThreadLocal}), so it needs no synchronisation; the handshake with the coordinator goes
 * through {@link CaptureRequest}.
 */
final class ThreadSlot {
    enum Mode { RUNNING, UNWINDING, PARKED, REWINDING }

    Mode mode = Mode.RUNNING;
    /** While unwinding: instrumented frames still to hand over, the bottom one included. */
    int remaining;
    /** While unwinding: the saved frames, top first. */
    final List<Frame> unwound = new ArrayList<>();
    /** While rewinding: the frames still to enter, bottom first. */
    final Deque<Frame> rewind = new ArrayDeque<>();
    int rewindDepth;
    /** The request this thread is unwinding for. */
    CaptureRequest request;
    /** {@link System#nanoTime()} before which a failed capturability check is not repeated. */
    long nextWalkNanos = System.nanoTime();
}
