package dev.stasis.runtime.internal.capture;

import dev.stasis.rt.Engine;
import dev.stasis.rt.Frame;
import dev.stasis.rt.ObjectWaitCalls;
import dev.stasis.rt.Stasis;
import dev.stasis.rt.Wakeups;
import dev.stasis.runtime.internal.registry.InstrumentedClasses;
import dev.stasis.runtime.internal.snapshot.executors.PoolTask;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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
    private volatile Quiesce quiesce;
    /** Recreated threads, not yet started or not yet at their first instrumented entry, and the frames they rewind. */
    private final Map<Thread, List<Frame>> starting = new ConcurrentHashMap<>();
    /**
     * Guarded by {@link #pendingLock}: threads unwinding, parked, rewinding, about to rewind, or ending at their
     * first entry. Pending stays raised while any is: a thread half way through its unwind whose callers stopped
     * seeing the flag would take the dummy value a saved frame returned for a real result.
     */
    private int rewindingThreads;
    /** Binary names of the classes whose initialisers a restore replays, or null. */
    private volatile Set<String> replaying;

    public PortableEngine(InstrumentedClasses registry) {
        this.inspector = new StackInspector(registry);
    }

    @Override
    public Frame enter(String method) {
        ThreadSlot slot = slots.get();
        if (slot.mode == ThreadSlot.Mode.ENDING) {
            Runnable onEntry = slot.onEntry;
            slot.onEntry = null;
            finishRewinding(slot);
            onEntry.run();
            return null;
        }
        if (slot.mode == ThreadSlot.Mode.UNWINDING) {
            brokenUnwind(slot, "entered " + method);
            return null;
        }
        if (slot.mode != ThreadSlot.Mode.REWINDING && !startRewindingIfRecreated(slot)) {
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
        // Taken by every poll, so it is only ever seen by the wait loop's poll that follows the cut wait; a program
        // that never had a block wait cut pays no thread-local lookup here (hot while a checkpoint is pending).
        Object releasable = ObjectWaitCalls.anyReleasedAtPoll() ? ObjectWaitCalls.takeReleasedAtPoll() : null;
        Quiesce current = quiesce;
        if (current == null) {
            return false;
        }
        ThreadSlot slot = slots.get();
        if (slot.mode == ThreadSlot.Mode.UNWINDING) {
            brokenUnwind(slot, "reached a poll");
            return false;
        }
        if (slot.mode != ThreadSlot.Mode.RUNNING || !slot.isApplicationThread(current)) {
            return false;
        }
        Thread self = Thread.currentThread();
        if (!current.isOpen()) {
            // Past the cut: this thread was not running when it was taken (a JDK or Stasis thread started it
            // meanwhile). It must not change the heap under the writer, so it waits here until the release.
            if (!current.isParked(self)) {
                current.awaitRelease();
            }
            return false;
        }
        long now = System.nanoTime();
        if (now - slot.nextWalkNanos < 0) {
            return false;
        }
        StackInspector.Verdict verdict = inspector.inspectCurrentThread(releasable);
        if (!verdict.capturable()) {
            current.blockedAt(self, verdict.blocker());
            slot.nextWalkNanos = now + RECHECK_NANOS;
            return false;
        }
        if (!current.claim(self)) {
            return false;
        }
        synchronized (pendingLock) {
            rewindingThreads++; // until it has rewound: the quiesce may be withdrawn before it reaches its bottom
        }
        slot.mode = ThreadSlot.Mode.UNWINDING;
        slot.remaining = verdict.frames();
        slot.expectedKeys = verdict.keys();
        slot.poolTask = verdict.poolTask();
        slot.unwound.clear();
        slot.quiesce = current;
        return true;
    }

    /**
     * A thread that claimed must return frame by frame to its bottom; one that enters a method or reaches a poll
     * instead ran on past a frame that saved itself (a caller did not see the unwind). That is a fault of Stasis;
     * say so loudly rather than let the thread save a frame in a random place later.
     */
    private void brokenUnwind(ThreadSlot slot, String what) {
        IllegalStateException fault = new IllegalStateException("stasis: internal error: thread "
                + Thread.currentThread().getName() + " was unwinding (" + slot.remaining + " frames left, saved "
                + slot.unwound + ") but " + what);
        fault.printStackTrace();
        slot.mode = ThreadSlot.Mode.RUNNING;
        slot.unwound.clear();
        slot.quiesce = null;
        synchronized (pendingLock) {
            rewindingThreads--;
            refreshPending();
        }
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
        int index = slot.unwound.size();
        if (index >= slot.expectedKeys.size() || !slot.expectedKeys.get(index).equals(frame.method)) {
            // Not the frame the stack held when the thread claimed: some caller ran on past a saved frame.
            new IllegalStateException("stasis: internal error: thread " + Thread.currentThread().getName()
                    + " saved " + frame + " as its frame " + index + " but its stack at the claim was "
                    + slot.expectedKeys).printStackTrace();
        }
        slot.unwound.add(frame);
        if (--slot.remaining > 0) {
            return false;
        }
        List<Frame> bottomFirst = new ArrayList<>(slot.unwound);
        Collections.reverse(bottomFirst);
        Quiesce finished = slot.quiesce;
        slot.quiesce = null;
        slot.unwound.clear();
        // The bottom frame carries on in place (its locals are intact); the frames above it are
        // rewound through their entries. Counted as rewinding since its claim, so pending stays set
        // when the coordinator lets go.
        List<Frame> above = bottomFirst.subList(1, bottomFirst.size());
        setRewindList(slot, above);
        slot.mode = ThreadSlot.Mode.PARKED;
        PoolTask poolTask = slot.poolTask;
        slot.poolTask = null;
        finished.parkWith(Thread.currentThread(), List.copyOf(bottomFirst), poolTask);
        if (above.isEmpty()) {
            finishRewinding(slot);
        } else {
            slot.mode = ThreadSlot.Mode.REWINDING;
        }
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

    /**
     * Makes {@code thread}, recreated and not started yet, rewind these frames (bottom first) from its first
     * instrumented entry, which is its bottom frame's method. Pending stays raised until it got there.
     */
    public void rewindOnStart(Thread thread, List<Frame> bottomFirst) {
        if (bottomFirst.isEmpty()) {
            throw new IllegalArgumentException("thread " + thread.getName() + " has no frames to rewind");
        }
        synchronized (pendingLock) {
            starting.put(thread, List.copyOf(bottomFirst));
            rewindingThreads++;
            Stasis.setPending(true);
        }
    }

    /** Undoes {@link #rewindOnStart} for a thread that will not start after all. */
    public void cancelRewindOnStart(Thread thread) {
        synchronized (pendingLock) {
            if (starting.remove(thread) != null) {
                rewindingThreads--;
                refreshPending();
            }
        }
    }

    /**
     * The current thread (the relaunched {@code main}, whose run had already returned at the checkpoint) runs
     * {@code onEntry} at its next instrumented method entry instead of that method.
     */
    public void endCurrentThreadOnEntry(Runnable onEntry) {
        ThreadSlot slot = slots.get();
        if (slot.mode != ThreadSlot.Mode.RUNNING) {
            throw new IllegalStateException("stasis: thread " + Thread.currentThread().getName()
                    + " cannot be set to end while " + slot.mode);
        }
        synchronized (pendingLock) {
            rewindingThreads++;
            Stasis.setPending(true);
        }
        slot.onEntry = onEntry;
        slot.mode = ThreadSlot.Mode.ENDING;
    }

    /** A recreated thread at its first instrumented entry takes up its frames; counted as rewinding since {@link #rewindOnStart}. */
    private boolean startRewindingIfRecreated(ThreadSlot slot) {
        if (starting.isEmpty()) {
            return false;
        }
        List<Frame> frames = starting.remove(Thread.currentThread());
        if (frames == null) {
            return false;
        }
        setRewindList(slot, frames);
        slot.mode = ThreadSlot.Mode.REWINDING;
        return true;
    }

    /**
     * Asks every application thread to unwind at its next capturable poll. One quiesce at a time.
     *
     * <p>The flag is raised before the quiesce is published. While {@link Stasis#setPending} runs, a thread can
     * read the flag raised at one poll and still lowered at the next, or in a caller it returns to: the new target
     * of the call site is visible before the compiled code that folded the old one is deoptimised, which happens
     * only by the time the call returns (seen on JDK 25, not on 17). A poll that found the quiesce then could
     * claim, and a compiled caller still reading the old value would take the unwound callee's dummy result for a
     * real one. Until the quiesce is published every poll declines. Blocked threads woken while the flag went up
     * are woken again, so none waits a slice for having polled too early.
     */
    Quiesce request(ApplicationThreads threads) {
        Quiesce created;
        synchronized (pendingLock) {
            if (quiesce != null) {
                throw new IllegalStateException("stasis: a capture is already in progress");
            }
            created = new Quiesce(threads);
            Stasis.setPending(true);
            quiesce = created;
        }
        Wakeups.wakeAll();
        return created;
    }

    /** Whether a checkpoint has been requested and every poll now sees it (its flag is fully raised). */
    boolean isRequested() {
        return quiesce != null;
    }

    /** Withdraws the quiesce (before its threads are released), so no poll sees it any more. */
    void withdraw(Quiesce finished) {
        synchronized (pendingLock) {
            if (quiesce == finished) {
                quiesce = null;
            }
            refreshPending();
        }
    }

    private static void setRewindList(ThreadSlot slot, List<Frame> bottomFirst) {
        slot.rewind.clear();
        slot.rewind.addAll(bottomFirst);
        slot.rewindDepth = bottomFirst.size();
    }

    private void startRewinding(ThreadSlot slot, List<Frame> bottomFirst) {
        setRewindList(slot, bottomFirst);
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
        Stasis.setPending(quiesce != null || rewindingThreads > 0);
    }
}
