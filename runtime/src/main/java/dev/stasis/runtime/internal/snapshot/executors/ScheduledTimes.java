package dev.stasis.runtime.internal.snapshot.executors;

import dev.stasis.rt.Stasis;
import java.lang.reflect.Field;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * When a scheduled task is due. A {@code ScheduledThreadPoolExecutor} keeps it on the JVM's own
 * {@code System.nanoTime()}, which means nothing in another JVM; the program's clock ({@link Stasis#nanoTime()})
 * goes on across a resume from where the snapshot left it. So a snapshot holds the due time on the program's
 * clock, and a resume, once that clock goes on, turns it back into this JVM's: a task due 2 s after the cut is due
 * 2 s after the resume, never earlier, and the time the program was not running does not count.
 */
public final class ScheduledTimes {
    private static final String SCHEDULED_TASK = ScheduledThreadPoolExecutor.class.getName() + "$ScheduledFutureTask";

    private ScheduledTimes() {
    }

    /** The due time a snapshot writes: on the program's clock. */
    public static long onProgramClock(long jvmDueTime) {
        return jvmDueTime + programClockOffset();
    }

    /**
     * After the program's clock went on (a resume): turns a restored task's due time from the program's clock
     * back into this JVM's. Anything that is not a pool's scheduled task is left alone.
     */
    public static void toThisJvm(Object task) {
        if (!(task instanceof RunnableScheduledFuture<?>) || !task.getClass().getName().equals(SCHEDULED_TASK)) {
            return;
        }
        try {
            Field time = task.getClass().getDeclaredField("time");
            time.setAccessible(true);
            time.setLong(task, time.getLong(task) - programClockOffset());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot set the due time of a restored scheduled task on this JDK: " + e, e);
        }
    }

    private static long programClockOffset() {
        return Stasis.nanoTime() - System.nanoTime();
    }
}
