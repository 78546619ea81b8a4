package dev.stasis.runtime.internal.snapshot.corruption;

import java.lang.management.ManagementFactory;

/**
 * Counts the bytes the current thread allocates (HotSpot's per-thread allocation counter, every
 * allocation included, in or outside a TLAB), so a test can bound the memory a read takes without
 * depending on the heap size or on when the GC runs.
 */
final class AllocationMeter {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private AllocationMeter() {
    }

    /** What {@code action} did, and how many bytes the thread allocated meanwhile. */
    record Measured<T>(T result, long allocatedBytes) {
    }

    interface Action<T> {
        T run();
    }

    static <T> Measured<T> measure(Action<T> action) {
        if (!THREADS.isThreadAllocatedMemorySupported() || !THREADS.isThreadAllocatedMemoryEnabled()) {
            throw new IllegalStateException("this JVM does not count allocated bytes per thread");
        }
        long before = THREADS.getCurrentThreadAllocatedBytes();
        T result = action.run();
        return new Measured<>(result, THREADS.getCurrentThreadAllocatedBytes() - before);
    }
}
