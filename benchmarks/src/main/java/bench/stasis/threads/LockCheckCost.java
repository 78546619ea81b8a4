package bench.stasis.threads;

import bench.stasis.report.MarkdownTable;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * What the lock queries cost by themselves, without the agent: {@code ThreadMXBean.getThreadInfo} for the current
 * thread with locked monitors, with and without locked {@code java.util.concurrent} synchronizers, as the heap grows.
 * Each call is a stop-the-world {@code ThreadDump} operation; asking for synchronizers makes the JVM search the heap
 * for them. The capturability check asks for monitors only, once per thread per checkpoint; the cut asks for
 * synchronizers once per checkpoint, for all stopped threads in one call (the same one heap search).
 */
final class LockCheckCost {
    private static final int CALLS = 50;

    private LockCheckCost() {
    }

    static String measure(int... liveObjectCounts) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[] self = {Thread.currentThread().getId()};
        MarkdownTable table = new MarkdownTable("objects kept alive", "monitors and synchronizers (µs per call)",
                "monitors only (µs per call)");
        for (int count : liveObjectCounts) {
            Object[] kept = new Object[count];
            for (int i = 0; i < count; i++) {
                kept[i] = new long[4];
            }
            perCallMicros(threads, self, true); // warm-up
            perCallMicros(threads, self, false);
            table.row(Integer.toString(kept.length), Long.toString(perCallMicros(threads, self, true)),
                    Long.toString(perCallMicros(threads, self, false)));
        }
        return table.render();
    }

    private static long perCallMicros(ThreadMXBean threads, long[] self, boolean synchronizers) {
        long start = System.nanoTime();
        for (int i = 0; i < CALLS; i++) {
            threads.getThreadInfo(self, true, synchronizers);
        }
        return (System.nanoTime() - start) / CALLS / 1000;
    }
}
