package dev.stasis.runtime.internal.capture;

import dev.stasis.rt.Frame;
import dev.stasis.runtime.internal.snapshot.executors.PoolTask;
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
    /** {@code ENDING}: the next instrumented entry runs {@link #onEntry} (a relaunched main whose run had ended). */
    enum Mode { RUNNING, UNWINDING, PARKED, REWINDING, ENDING }

    Mode mode = Mode.RUNNING;
    /** While unwinding: instrumented frames still to hand over, the bottom one included. */
    int remaining;
    /** While unwinding: the method keys of the frames it must save, innermost first (from the claim's stack walk). */
    List<String> expectedKeys = List.of();
    /** While unwinding: the saved frames, top first. */
    final List<Frame> unwound = new ArrayList<>();
    /** While rewinding: the frames still to enter, bottom first. */
    final Deque<Frame> rewind = new ArrayDeque<>();
    int rewindDepth;
    /** While unwinding: for a pool worker, the task a resume runs again (from the claim's stack walk), else null. */
    PoolTask poolTask;
    /** The quiesce this thread is unwinding for. */
    Quiesce quiesce;
    /** While ending: what to run instead of the entered method. */
    Runnable onEntry;
    /** The quiesce {@link #application} was decided for: a thread is classified once per checkpoint. */
    private Quiesce classifiedFor;
    private boolean application;
    /** {@link System#nanoTime()} before which a failed capturability check is not repeated. */
    long nextWalkNanos = System.nanoTime();

    boolean isApplicationThread(Quiesce current) {
        if (classifiedFor != current) {
            application = current.applicationThreads.includes(Thread.currentThread());
            classifiedFor = current;
        }
        return application;
    }
}
