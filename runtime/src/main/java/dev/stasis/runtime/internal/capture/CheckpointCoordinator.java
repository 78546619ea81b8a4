package dev.stasis.runtime.internal.capture;

import dev.stasis.runtime.CheckpointException;
import dev.stasis.runtime.NothingToCheckpointException;
import dev.stasis.runtime.internal.snapshot.executors.ScheduledQueuesAtCut;
import java.io.IOException;
import java.time.Duration;
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.List;

/**
 * Brings every application thread to a stop at a capturable point (a consistent cut: all of them parked at
 * once), lets the caller use their frames while they are parked, and always lets them go again: a failed
 * checkpoint leaves the application running. One capture at a time.
 */
public final class CheckpointCoordinator {
    /** What to do with the parked threads (the main thread first) while they are parked. */
    @FunctionalInterface
    public interface WhileParked<T> {
        T run(List<ParkedThread> threads) throws Exception;
    }

    /**
     * What the action returned, how long the threads were kept from running, and how long of that it took them
     * all to stop (from the request until the cut closed: the time to safepoint).
     */
    public record Captured<T>(T result, long pauseNanos, long quiesceNanos) {
    }

    /** The live threads are enumerated again at least this often while the coordinator waits for the cut. */
    private static final long RECHECK_MILLIS = 10;

    private final PortableEngine engine;
    private final ApplicationThreads threads;

    public CheckpointCoordinator(PortableEngine engine, ApplicationThreads threads) {
        this.engine = engine;
        this.threads = threads;
    }

    /**
     * @param main the JVM's main thread (it comes first in the cut), or null; it may have ended
     */
    public synchronized <T> Captured<T> capture(Thread main, Duration timeout, WhileParked<T> action)
            throws CheckpointException {
        Thread self = Thread.currentThread();
        if (threads.includes(self)) {
            throw new CheckpointException("cannot checkpoint from application thread " + self.getName()
                    + ": it would wait for itself to stop. Request checkpoints from another thread "
                    + "(JMX, interval=, the CLI).");
        }
        if (liveApplicationThreads(self).isEmpty()) {
            throw new NothingToCheckpointException("cannot checkpoint: no application thread is running, so there is no "
                    + "program state left to save");
        }
        long requestedAt = System.nanoTime();
        long deadline = requestedAt + timeout.toNanos();
        while (true) {
            Captured<T> captured = captureOnce(main, timeout, deadline, requestedAt, action);
            if (captured != null) {
                return captured;
            }
        }
    }

    /** One quiesce: what the action returned, or null when the cut it reached was not quiet (tried again). */
    private <T> Captured<T> captureOnce(Thread main, Duration timeout, long deadline, long requestedAt,
                                        WhileParked<T> action) throws CheckpointException {
        Quiesce quiesce = engine.request(threads);
        try {
            List<ParkedThread> cut = awaitCut(quiesce, main, timeout, deadline);
            String unquiet = unquiet(cut);
            if (unquiet != null) {
                if (System.nanoTime() - deadline >= 0) {
                    throw new CheckpointException("checkpoint timed out after " + format(timeout) + ": every "
                            + "application thread stopped, but " + unquiet + "; the program runs on");
                }
                return null; // released below; the threads rewind and the next quiesce stops them again
            }
            long quiesceNanos = System.nanoTime() - requestedAt;
            refuseUntrackedLocks(cut);
            T result = action.run(cut);
            return new Captured<>(result, System.nanoTime() - requestedAt, quiesceNanos);
        } catch (CheckpointException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CheckpointException("checkpoint interrupted while waiting for the application threads to stop; "
                    + "the program runs on");
        } catch (Exception | Error e) {
            throw new CheckpointException(reasonOf(e) + "; the program runs on and the previous snapshots are intact", e);
        } finally {
            // Abandon first, so a thread still unwinding never parks; then withdraw and release, so every parked
            // thread (or one about to park) rewinds and nobody is captured again.
            quiesce.abandon();
            engine.withdraw(quiesce);
            ScheduledQueuesAtCut.clear();
            quiesce.release();
        }
    }

    /** The live application threads, virtual ones included; refused if this JDK's virtual threads cannot be listed. */
    private List<Thread> liveApplicationThreads(Thread self) throws CheckpointException {
        try {
            return threads.live(self);
        } catch (IllegalStateException e) {
            throw new CheckpointException("cannot checkpoint: " + e.getMessage() + "; the program runs on");
        }
    }

    /**
     * A stopped thread that owns a lock no rewritten call site counted would be saved inside its critical section,
     * and the lock restored with no owner: this checkpoint fails instead, and the threads are let go.
     */
    private static void refuseUntrackedLocks(List<ParkedThread> cut) throws CheckpointException {
        List<String> held = UntrackedLocks.heldAt(cut);
        if (!held.isEmpty()) {
            throw new CheckpointException("checkpoint abandoned at the cut: " + String.join("; ", held)
                    + ", held outside a call site Stasis tracks (taken through a method reference, by reflection or "
                    + "by code that is not instrumented), so the thread stopped inside its critical section. Take "
                    + "the lock with a direct call such as lock.lock() in application code. The program runs on and "
                    + "the previous snapshots are intact.");
        }
    }

    /** An I/O error's message says what failed where (the writer adds the snapshot and directory); anything else needs its type. */
    private static String reasonOf(Throwable e) {
        return e instanceof IOException && e.getMessage() != null ? e.getMessage() : e.toString();
    }

    /**
     * Waits until every live application thread is parked at once. Threads that start meanwhile are waited for
     * too (they reach their entry poll), threads that end drop out; the set is enumerated again whenever a
     * thread parks and at least every {@link #RECHECK_MILLIS} ms.
     */
    private List<ParkedThread> awaitCut(Quiesce quiesce, Thread main, Duration timeout, long deadline)
            throws CheckpointException, InterruptedException {
        Thread self = Thread.currentThread();
        while (true) {
            List<Thread> live = threads.live(self);
            List<ParkedThread> cut = quiesce.closeIfAllParked(live, main);
            if (cut != null) {
                if (cut.isEmpty()) {
                    throw new NothingToCheckpointException("checkpoint abandoned: every application thread ended before it "
                            + "reached a capturable point");
                }
                return cut;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                quiesce.abandon();
                throw timedOut(quiesce, live, timeout);
            }
            quiesce.awaitChange(Math.min(RECHECK_MILLIS, Math.max(1, left / 1_000_000)));
        }
    }

    /**
     * Null when nothing can change the heap while the cut is written, else why not. The cut closed on the live
     * threads enumerated just before: a pool worker that was idle then may have been handed a task since (it
     * runs now, or is about to). Such a worker reaches a poll soon, so the cut is tried again.
     */
    private String unquiet(List<ParkedThread> cut) {
        Set<Thread> parked = Collections.newSetFromMap(new IdentityHashMap<>());
        for (ParkedThread thread : cut) {
            parked.add(thread.thread());
        }
        // The pools first: a worker that takes a task after their queues were read is no longer idle below.
        String pools = PoolQuiet.unquiet(threads.idlePoolWorkers());
        if (pools != null) {
            return pools;
        }
        for (Thread thread : threads.live(Thread.currentThread())) {
            if (!parked.contains(thread)) {
                return "thread " + thread.getName() + " started running while the others stopped";
            }
        }
        return null;
    }

    /** Names every thread that kept the checkpoint waiting, where it was and what it held. */
    private static CheckpointException timedOut(Quiesce quiesce, List<Thread> live, Duration timeout) {
        List<String> reasons = new ArrayList<>();
        for (Thread thread : live) {
            if (quiesce.isParked(thread) || !thread.isAlive()) {
                continue;
            }
            if (quiesce.isUnwinding(thread)) {
                reasons.add("thread " + thread.getName() + " started to unwind but did not reach its bottom frame");
                continue;
            }
            String where = quiesce.blocker(thread);
            if (where != null) {
                reasons.add("thread " + thread.getName() + " could not stop at a capturable point: " + where);
            } else {
                StackTraceElement[] stack = thread.getStackTrace();
                String forkJoin = StackInspector.forkJoinWork(stack);
                reasons.add("thread " + thread.getName() + (forkJoin != null ? " " + forkJoin + ": "
                        : " did not reach a poll (it is blocked, or in code that is not instrumented): ")
                        + whereIs(stack) + heldLocks(thread));
            }
        }
        if (reasons.isEmpty()) {
            reasons.add("the application threads kept starting and ending");
        }
        return new CheckpointException("checkpoint timed out after " + format(timeout) + ": "
                + String.join("; ", reasons));
    }

    /** The locks a thread that never polled holds: often why others cannot stop either. */
    private static String heldLocks(Thread thread) {
        ThreadInfo[] infos = ManagementFactory.getThreadMXBean().getThreadInfo(new long[] {thread.getId()}, true, true);
        if (infos.length == 0 || infos[0] == null) {
            return "";
        }
        List<String> held = new ArrayList<>();
        for (LockInfo monitor : infos[0].getLockedMonitors()) {
            held.add("the monitor of " + monitor);
        }
        for (LockInfo lock : infos[0].getLockedSynchronizers()) {
            held.add(lock.toString());
        }
        return held.isEmpty() ? "" : ", holding " + String.join(", ", held);
    }

    /** The application frame the thread is in, and the JDK method it called, if any. */
    private static String whereIs(StackTraceElement[] stack) {
        if (stack.length == 0) {
            return "no stack available";
        }
        for (int i = 0; i < stack.length; i++) {
            if (!StackInspector.isJdk(stack[i].getClassName())) {
                return i == 0 ? "at " + StackInspector.describe(stack[0])
                        : "in " + stack[i - 1].getClassName() + "." + stack[i - 1].getMethodName() + " called at "
                        + StackInspector.describe(stack[i]);
            }
        }
        return "in " + StackInspector.describe(stack[0]);
    }

    static String format(Duration duration) {
        if (duration.toMillis() % 1000 == 0) {
            return duration.toSeconds() + "s";
        }
        return duration.toMillis() + "ms";
    }
}
