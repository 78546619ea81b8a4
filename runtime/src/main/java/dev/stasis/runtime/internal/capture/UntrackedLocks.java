package dev.stasis.runtime.internal.capture;

import dev.stasis.rt.Frame;
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The safety net under the counted lock holds ({@code dev.stasis.rt.LockCalls}): a hold taken where no
 * rewritten call site saw it (through a method reference, whose lambda proxy is never instrumented; by
 * reflection; by uninstrumented code) lets its thread stop at a poll holding the lock. Once per checkpoint, at
 * the cut, one question to the JVM for all stopped threads at once finds such holds: one search of the heap
 * per checkpoint, where asking at every poll cost one per thread.
 */
final class UntrackedLocks {
    /**
     * Synchronizers a thread owns while the JDK runs application code under it, released when that code
     * returns: a pool worker owns its {@code Worker} while it runs a task.
     */
    private static final Set<String> OWNED_BY_JDK_CALLERS = Set.of("java.util.concurrent.ThreadPoolExecutor$Worker");

    private UntrackedLocks() {
    }

    /**
     * Names each stopped thread that owns a {@code java.util.concurrent} synchronizer, and the synchronizer and
     * where the thread stopped; empty when none does (or the JVM cannot tell).
     */
    static List<String> heldAt(List<ParkedThread> cut) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (cut.isEmpty() || !threads.isSynchronizerUsageSupported()) {
            return List.of();
        }
        long[] ids = new long[cut.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = cut.get(i).thread().getId();
        }
        ThreadInfo[] infos = threads.getThreadInfo(ids, false, true);
        List<String> held = new ArrayList<>();
        for (int i = 0; i < infos.length; i++) {
            if (infos[i] == null) {
                continue;
            }
            for (LockInfo synchronizer : infos[i].getLockedSynchronizers()) {
                if (!OWNED_BY_JDK_CALLERS.contains(synchronizer.getClassName())) {
                    held.add("thread " + cut.get(i).thread().getName() + " holds " + synchronizer + " (stopped in "
                            + topFrame(cut.get(i)) + ")");
                }
            }
        }
        return held;
    }

    private static String topFrame(ParkedThread parked) {
        List<Frame> frames = parked.bottomFirst();
        return frames.isEmpty() ? "no frame" : frames.get(frames.size() - 1).method;
    }
}
