package dev.stasis.agent.instrument;

import dev.stasis.rt.Engine;
import dev.stasis.rt.Frame;
import dev.stasis.rt.LockCalls;
import dev.stasis.rt.Stasis;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;

/**
 * A test engine for one thread: asks for an unwind at the Nth poll, records the unwound frames and
 * then either rewinds in place (the bottom frame's {@code unwound} returns true) or lets the entry
 * method return a dummy so the test can rewind later by calling it again (a simulated relaunch).
 */
final class CaptureEngine implements Engine {
    enum Mode { IN_PLACE, RELAUNCH }

    private final InstrumentingLoader loader;
    private final List<Class<?>> initialized = Collections.synchronizedList(new ArrayList<>());
    private Mode mode = Mode.IN_PLACE;
    private int captureAt = -1;
    private int polls;
    private int remaining;
    private boolean unwinding;
    private final List<Frame> captured = new ArrayList<>();
    /** The lock holds {@code LockCalls} counted for the captured thread when its bottom frame was saved. */
    private volatile int holdsAtCapture = -1;
    /** A monitor a test watches, and whether the thread held it when it handed over its first (top) frame. */
    private volatile Object watchedMonitor;
    private volatile Boolean watchedHeldAtFirstUnwound;
    private Deque<Frame> rewinding;

    CaptureEngine(InstrumentingLoader loader) {
        this.loader = loader;
    }

    /** Counts polls from now on and unwinds at poll number {@code n} (1-based; never if 0). */
    void arm(int n, Mode newMode) {
        mode = newMode;
        captureAt = n;
        polls = 0;
        holdsAtCapture = -1;
        captured.clear();
        rewinding = null;
        unwinding = false;
        Stasis.setPending(true);
    }

    void disarm() {
        captureAt = -1;
        Stasis.setPending(false);
    }

    /** Starts rewinding the recorded frames: the next call of the entry method restores them. */
    void rewindCaptured() {
        Deque<Frame> bottomFirst = new ArrayDeque<>();
        captured.forEach(bottomFirst::addFirst);
        rewinding = bottomFirst;
        Stasis.setPending(true);
    }

    /** Watches {@code monitor}: {@link #watchedHeldAtFirstUnwound} says if the unwinding thread still held it. */
    void watch(Object monitor) {
        watchedMonitor = monitor;
        watchedHeldAtFirstUnwound = null;
    }

    /** Null until an unwinding thread handed over its top frame after {@link #watch}. */
    Boolean watchedHeldAtFirstUnwound() {
        return watchedHeldAtFirstUnwound;
    }

    /** -1 until a thread armed for has saved its bottom frame. */
    int holdsAtCapture() {
        return holdsAtCapture;
    }

    int polls() {
        return polls;
    }

    List<Frame> captured() {
        return List.copyOf(captured);
    }

    boolean rewindFinished() {
        return rewinding == null;
    }

    List<Class<?>> initialized() {
        return initialized;
    }

    @Override
    public Frame enter(String method) {
        if (rewinding == null) {
            return null;
        }
        Frame frame = rewinding.poll();
        if (frame == null || !frame.method.equals(method)) {
            throw new IllegalStateException("rewinding into " + method + " but the next frame is " + frame);
        }
        if (rewinding.isEmpty()) {
            rewinding = null;
            Stasis.setPending(false);
        }
        return frame;
    }

    @Override
    public boolean poll() {
        polls++;
        if (polls != captureAt || unwinding || rewinding != null) {
            return false;
        }
        int depth = capturableDepth();
        if (depth <= 0) {
            return false;
        }
        remaining = depth;
        unwinding = true;
        return true;
    }

    /** Instrumented frames below this poll, or -1 when a foreign or uninstrumented frame is among them. */
    private int capturableDepth() {
        List<StackWalker.StackFrame> frames = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
                .walk(stream -> stream.dropWhile(f -> f.getDeclaringClass().getClassLoader() != loader).toList());
        int depth = 0;
        while (depth < frames.size() && frames.get(depth).getDeclaringClass().getClassLoader() == loader) {
            StackWalker.StackFrame frame = frames.get(depth);
            String key = frame.getDeclaringClass().getName().replace('.', '/') + '.' + frame.getMethodName()
                    + frame.getDescriptor();
            if (!loader.isInstrumented(key)) {
                return -1;
            }
            depth++;
        }
        for (int i = depth; i < frames.size(); i++) {
            if (frames.get(i).getDeclaringClass().getClassLoader() == loader) {
                return -1;
            }
        }
        return depth;
    }

    @Override
    public boolean unwinding() {
        return unwinding;
    }

    @Override
    public boolean unwound(Frame frame) {
        if (!unwinding) {
            throw new IllegalStateException("unwound " + frame + " while not unwinding");
        }
        if (captured.isEmpty() && watchedMonitor != null) {
            watchedHeldAtFirstUnwound = Thread.holdsLock(watchedMonitor);
        }
        captured.add(frame);
        if (--remaining > 0) {
            return false;
        }
        holdsAtCapture = LockCalls.holdCountOfCurrentThread();
        unwinding = false;
        if (mode == Mode.IN_PLACE) {
            // The bottom frame carries on in place; only the frames above it are rewound.
            rewindCaptured();
            rewinding.pollFirst();
            if (rewinding.isEmpty()) {
                rewinding = null;
                Stasis.setPending(false);
            }
            return true;
        }
        Stasis.setPending(false);
        return false;
    }

    @Override
    public boolean initializing(Class<?> type) {
        initialized.add(type);
        return false;
    }
}
