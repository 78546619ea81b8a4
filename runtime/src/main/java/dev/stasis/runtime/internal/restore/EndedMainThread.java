package dev.stasis.runtime.internal.restore;

import dev.stasis.runtime.internal.snapshot.threads.ThreadRecreation;

/**
 * What the relaunched main thread does when the program's {@code main} had already returned at the checkpoint
 * and only other threads were captured: instead of running {@code main} again it waits, as the JVM's launcher
 * would have, until no non-daemon thread of the program is left, then ends the JVM with status 0 (what a JVM
 * whose {@code main} returned normally exits with), running the shutdown hooks as that exit would. References
 * to the original main thread in the snapshot read back as an ended thread named {@code main}, as it was.
 */
final class EndedMainThread implements Runnable {
    /** What the main thread is called while it waits (a Stasis thread name: never captured, never waited for). */
    static final String NAME = "stasis-main-ended";
    private static final long RECHECK_MILLIS = 20;

    @Override
    public void run() {
        Thread self = Thread.currentThread();
        boolean interrupted = false;
        while (anyOtherNonDaemon(self)) {
            try {
                Thread.sleep(RECHECK_MILLIS);
            } catch (InterruptedException e) {
                interrupted = true; // main had ended: nobody in the program can mean this thread
            }
        }
        if (interrupted) {
            self.interrupt();
        }
        System.exit(0);
    }

    private static boolean anyOtherNonDaemon(Thread self) {
        ThreadGroup group = ThreadRecreation.mainGroup();
        Thread[] threads = new Thread[group.activeCount() + 16];
        int count = group.enumerate(threads, true);
        for (int i = 0; i < count; i++) {
            Thread thread = threads[i];
            if (thread != self && thread.isAlive() && !thread.isDaemon() && !thread.getName().startsWith("stasis-")) {
                return true;
            }
        }
        return false;
    }
}
