package dev.stasis.runtime.internal.snapshot.threads;

import java.util.HashMap;
import java.util.Map;

/**
 * Builds the {@code Thread} objects a snapshot's graph holds, never started (a resume starts the captured
 * ones once the whole graph is in place). A subclass instance is allocated without running its constructor,
 * like every application object, and gets {@code Thread}'s own state from a plain thread built for it; a
 * thread that had ended comes back ended (its template is run, empty, to its end first), so {@code start()}
 * refuses it and {@code join()} returns at once, as before. A virtual thread comes back a virtual thread.
 */
public final class ThreadRecreation {
    /** Groups made for this read, by name, so threads that shared a group share it again. */
    private final Map<String, ThreadGroup> groups = new HashMap<>();

    /** What a recreated thread looked like, whether it was a virtual thread, and whether it had ended. */
    public record Description(String name, String groupName, boolean daemon, int priority, boolean virtual,
                              boolean terminated) {
    }

    /**
     * @param allocated for a subclass of {@code Thread}, an instance allocated without a constructor; null for a
     *                  plain {@code Thread}
     */
    public Thread recreate(Description description, Thread allocated) throws InterruptedException {
        if (description.virtual()) {
            return recreateVirtual(description);
        }
        Thread template = new Thread(group(description.groupName()), null, description.name(), 0, false);
        template.setDaemon(description.daemon());
        template.setPriority(Math.min(description.priority(), template.getThreadGroup().getMaxPriority()));
        if (description.terminated()) {
            template.start(); // no task: it ends at once
            template.join();
        }
        if (allocated == null) {
            return template;
        }
        JdkThreadFields.copyThreadState(template, allocated);
        return allocated;
    }

    /**
     * A virtual thread has no group, priority or daemon flag of its own to restore (the JDK fixes them): only its
     * name, and whether it had ended.
     */
    private static Thread recreateVirtual(Description description) throws InterruptedException {
        Thread thread = VirtualThreadFields.unstarted(description.name());
        if (description.terminated()) {
            thread.start(); // its placeholder task ends at once
            thread.join();
        }
        return thread;
    }

    /** Sets the task a plain thread runs (its constructor's {@code Runnable}). */
    public static void setTask(Thread thread, Runnable task) {
        JdkThreadFields.setTask(thread, task);
    }

    private ThreadGroup group(String name) {
        ThreadGroup main = mainGroup();
        if (name == null || name.equals(main.getName())) {
            return main;
        }
        return groups.computeIfAbsent(name, absent -> new ThreadGroup(main, absent));
    }

    /** The group {@code main} runs in (the parent of application groups), whichever thread reads. */
    public static ThreadGroup mainGroup() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        ThreadGroup[] children = new ThreadGroup[root.activeGroupCount() + 8];
        int count = root.enumerate(children, false);
        for (int i = 0; i < count; i++) {
            if (children[i].getName().equals("main")) {
                return children[i];
            }
        }
        return root;
    }
}
