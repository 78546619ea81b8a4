package dev.stasis.runtime.internal.capture;

import dev.stasis.rt.Engine;
import dev.stasis.rt.Frame;
import dev.stasis.rt.Stasis;
import dev.stasis.runtime.internal.registry.InstrumentedClasses;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * The slow paths of {@link Stasis}: each thread is {@code RUNNING}, {@code UNWINDING} (saving its
 * frames on the way out), {@code PARKED} (at its bottom frame while the snapshot is written) or
 * {@code REWINDING} (re-entering its frames, bottom first). See ARCHITECTURE.md, "Capture".
 */
public final class PortableEngine implements Engine {
    /** A thread that failed the capturability check is not walked again for this long. */
    private static final long RECHECK_NANOS = 200_000;

    private final StackInspector inspector;
    private final ThreadLocal<ThreadSlot> slots = ThreadLocal.withInitial(ThreadSlot::new);
    private final List<Class<?>> initOrder = Collections.synchronizedList(new ArrayList<>());
    private final Object pendingLock = new Object();
    private volatile CaptureRequest request;
    /** Guarded by {@link #pendingLock}. */
    private int rewindingThreads;
    /** Binary names of the classes whose initialisers a restore replays, or null. */
    private volatile Set<String> replaying;

    public PortableEngine(InstrumentedClasses registry) {
        this.inspector = new StackInspector(registry);
    }

    @Override
    public Frame enter(String method) {
        ThreadSlot slot = slots.get();
        if (slot.mode != ThreadSlot.Mode.REWINDING) {
            return null;
        }
        Frame next = slot.rewind.pollFirst();
        int position = slot.rewindDepth - slot.rewind.size();
        if (next == null || !next.method.equals(method)) {
            int depth = slot.rewindDepth;
            finishRewinding(slot);
            throw new IllegalStateException("stasis: thread " + Thread.currentThread().getName()
                    + " is rewinding and expected to enter " + (next == null ? "nothing" : next.method)
                    + " (frame " + position + " of " + depth + ", bottom first) but entered " + method
                    + "; the snapshot does not match the code that is running");
        }
        if (slot.rewind.isEmpty()) {
            finishRewinding(slot);
        }
        return next;
    }

    @Override
    public boolean poll() {
        CaptureRequest current = request;
        if (current == null || current.target != Thread.currentThread()
                || current.phase() != CaptureRequest.Phase.REQUESTED) {
            return false;
        }
        ThreadSlot slot = slots.get();
        if (slot.mode != ThreadSlot.Mode.RUNNING) {
            return false;
        }
        long now = System.nanoTime();
        if (now - slot.nextWalkNanos < 0) {
            return false;
        }
        StackInspector.Verdict verdict = inspector.inspectCurrentThread();
        if (!verdict.capturable()) {
            current.blocker = verdict.blocker();
            slot.nextWalkNanos = now + RECHECK_NANOS;
            return false;
        }
        if (!current.claim()) {
            return false;
        }
        slot.mode = ThreadSlot.Mode.UNWINDING;
        slot.remaining = verdict.frames();
        slot.unwound.clear();
        slot.request = current;
        return true;
    }

    @Override
    public boolean unwinding() {
        return slots.get().mode == ThreadSlot.Mode.UNWINDING;
    }

    @Override
    public boolean unwound(Frame frame) {
        ThreadSlot slot = slots.get();
        if (slot.mode != ThreadSlot.Mode.UNWINDING) {
            throw new IllegalStateException("stasis: frame " + frame + " unwound on thread "
                    + Thread.currentThread().getName() + ", which is not unwinding");
        }
        slot.unwound.add(frame);
        if (--slot.remaining > 0) {
            return false;
        }
        List<Frame> bottomFirst = new ArrayList<>(slot.unwound);
        Collections.reverse(bottomFirst);
        CaptureRequest finished = slot.request;
        slot.request = null;
        slot.unwound.clear();
        // Counted as rewinding before it parks, so pending stays set when the coordinator lets go.
        startRewinding(slot, bottomFirst);
        slot.mode = ThreadSlot.Mode.PARKED;
        finished.parkWith(List.copyOf(bottomFirst));
        slot.mode = ThreadSlot.Mode.REWINDING;
        return true;
    }

    @Override
    public boolean initializing(Class<?> type) {
        initOrder.add(type);
        Set<String> replay = replaying;
        return replay != null && !type.isEnum() && replay.contains(type.getName())
                && type.getClassLoader() == ClassLoader.getSystemClassLoader();
    }

    /** Classes whose initialiser started, in that order (duplicates possible across loaders). */
    public List<Class<?>> initializationOrder() {
        synchronized (initOrder) {
            return List.copyOf(initOrder);
        }
    }

    /** From now on the recorded initialisers of these classes (binary names) are skipped. */
    public void beginReplay(Collection<String> binaryNames) {
        replaying = Set.copyOf(binaryNames);
    }

    public void endReplay() {
        replaying = null;
    }

    /** Makes the current thread re-enter these frames, bottom first, from its next instrumented entry. */
    public void rewindCurrentThread(List<Frame> bottomFirst) {
        if (bottomFirst.isEmpty()) {
            return;
        }
        ThreadSlot slot = slots.get();
        if (slot.mode != ThreadSlot.Mode.RUNNING) {
            throw new IllegalStateException("stasis: thread " + Thread.currentThread().getName()
                    + " cannot start rewinding while " + slot.mode);
        }
        startRewinding(slot, bottomFirst);
        slot.mode = ThreadSlot.Mode.REWINDING;
    }

    /** Asks {@code target} to unwind at its next capturable poll. One request at a time. */
    CaptureRequest request(Thread target) {
        synchronized (pendingLock) {
            if (request != null) {
                throw new IllegalStateException("stasis: a capture is already in progress");
            }
            CaptureRequest created = new CaptureRequest(target);
            request = created;
            Stasis.setPending(true);
            return created;
        }
    }

    /** Withdraws the request (before its thread is released), so no poll sees it any more. */
    void withdraw(CaptureRequest finished) {
        synchronized (pendingLock) {
            if (request == finished) {
                request = null;
            }
            refreshPending();
        }
    }

    private void startRewinding(ThreadSlot slot, List<Frame> bottomFirst) {
        slot.rewind.clear();
        slot.rewind.addAll(bottomFirst);
        slot.rewindDepth = bottomFirst.size();
        synchronized (pendingLock) {
            rewindingThreads++;
            Stasis.setPending(true);
        }
    }

    private void finishRewinding(ThreadSlot slot) {
        slot.rewind.clear();
        slot.mode = ThreadSlot.Mode.RUNNING;
        synchronized (pendingLock) {
            rewindingThreads--;
            refreshPending();
        }
    }

    private void refreshPending() {
        Stasis.setPending(request != null || rewindingThreads > 0);
    }
}
