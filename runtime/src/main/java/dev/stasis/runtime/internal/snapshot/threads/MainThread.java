package dev.stasis.runtime.internal.snapshot.threads;

/** Finds the JVM's main thread, which a snapshot names by a mark rather than recreating it. */
public final class MainThread {
    private MainThread() {
    }

    /**
     * The caller when it is {@code main} (premain), else the live thread of that name in the main group (an
     * agent attached later runs on the attach thread). Null if it ended.
     */
    public static Thread find() {
        Thread current = Thread.currentThread();
        if (current.getName().equals("main")) {
            return current;
        }
        ThreadGroup group = ThreadRecreation.mainGroup();
        Thread[] threads = new Thread[group.activeCount() + 16];
        int count = group.enumerate(threads, false);
        for (int i = 0; i < count; i++) {
            if (threads[i].getName().equals("main")) {
                return threads[i];
            }
        }
        return null;
    }
}
