package dev.stasis.runtime.internal.capture;

import dev.stasis.runtime.internal.snapshot.threads.MainThread;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Tells the application's threads from the JDK's and Stasis's own: a checkpoint must capture
 * every application thread, and only those.
 */
public final class ApplicationThreads {
    private static final Set<String> JDK_THREAD_NAMES = Set.of("Reference Handler", "Finalizer",
            "Signal Dispatcher", "Attach Listener", "Common-Cleaner", "Notification Thread", "DestroyJavaVM",
            "process reaper", "Monitor Ctrl-Break");
    private static final String STASIS_PREFIX = "stasis-";

    /** The threads the program started, idle pool workers included. */
    private final Predicate<Thread> isProgramThread;

    private ApplicationThreads(Predicate<Thread> isProgramThread) {
        this.isProgramThread = isProgramThread;
    }

    /** The classification of a real JVM. */
    public static ApplicationThreads ofJvm() {
        return new ApplicationThreads(ApplicationThreads::isProgramThread);
    }

    /** A classification narrowed by the caller (tests run inside a JVM full of other threads). */
    static ApplicationThreads matching(Predicate<Thread> isProgramThread) {
        return new ApplicationThreads(isProgramThread);
    }

    /** Whether {@code thread} is one of the application's threads (alive or not) that a cut must capture. */
    boolean includes(Thread thread) {
        return isProgramThread.test(thread) && !isIdlePoolWorker(thread);
    }

    /** The live application threads, without {@code except} (the thread that asks), in no particular order. */
    List<Thread> live(Thread except) {
        List<Thread> live = new ArrayList<>();
        for (Thread thread : liveThreads()) {
            if (thread != except && thread.isAlive() && includes(thread)) {
                live.add(thread);
            }
        }
        return live;
    }

    /**
     * The JVM's main thread: the caller when it is {@code main} (premain), else the live thread of that
     * name in the main group (an agent attached later runs on the attach thread). Null if it ended.
     */
    public static Thread mainThread() {
        return MainThread.find();
    }

    public static boolean isApplicationThread(Thread thread) {
        return isProgramThread(thread) && !isIdlePoolWorker(thread);
    }

    private static boolean isProgramThread(Thread thread) {
        String name = thread.getName();
        if (name.startsWith(STASIS_PREFIX) || JDK_THREAD_NAMES.contains(name)
                || name.startsWith("RMI ") || name.startsWith("JMX ")) {
            return false;
        }
        if (VirtualThreads.isVirtual(thread)) {
            return true; // the program's: they share one JDK group, and neither the JDK nor Stasis starts any
        }
        ThreadGroup group = thread.getThreadGroup();
        if (group == null || !descendsFromMainGroup(group)) {
            return false; // terminated, or in "system" or one of its JDK subgroups (e.g. InnocuousThreadGroup)
        }
        return true;
    }

    /**
     * The idle workers of the program's pools: not application threads for a cut (they run no application code
     * and a resume makes new ones), but a cut must check they cannot take a task while it is written.
     */
    List<Thread> idlePoolWorkers() {
        List<Thread> idle = new ArrayList<>();
        for (Thread thread : liveThreads()) {
            if (thread.isAlive() && isProgramThread.test(thread) && isIdlePoolWorker(thread)) {
                idle.add(thread);
            }
        }
        return idle;
    }

    /**
     * A {@code ThreadPoolExecutor} worker waiting for a task in {@code getTask}, with nothing but JDK code above
     * it, or a {@code ForkJoinPool} worker waiting for work (a worker running a task is application work).
     */
    static boolean isIdlePoolWorker(Thread thread) {
        if (VirtualThreads.isVirtual(thread)) {
            return false;
        }
        Thread.State state = thread.getState();
        if (state != Thread.State.WAITING && state != Thread.State.TIMED_WAITING) {
            return false;
        }
        if (thread instanceof ForkJoinWorkerThread) {
            return isIdleForkJoinWorker(thread);
        }
        if (PoolQuiet.poolOf(thread) == null) {
            return false;
        }
        for (StackTraceElement element : thread.getStackTrace()) {
            if (element.getClassName().equals("java.util.concurrent.ThreadPoolExecutor")
                    && element.getMethodName().equals("getTask")) {
                return true;
            }
            if (!StackInspector.isJdk(element.getClassName())) {
                return false;
            }
        }
        return false;
    }

    private static boolean descendsFromMainGroup(ThreadGroup group) {
        for (ThreadGroup g = group; g != null; g = g.getParent()) {
            if (g.getName().equals("main") && g.getParent() != null && g.getParent().getParent() == null) {
                return true;
            }
        }
        return false;
    }

    /** A fork/join worker waiting for work in {@code awaitWork}. */
    private static boolean isIdleForkJoinWorker(Thread thread) {
        return Arrays.stream(thread.getStackTrace()).anyMatch(element ->
                element.getClassName().equals("java.util.concurrent.ForkJoinPool")
                        && element.getMethodName().equals("awaitWork"));
    }

    /**
     * The platform threads of every group, then the virtual threads (no group lists those).
     *
     * @throws IllegalStateException if this JDK has virtual threads that cannot be listed
     */
    private static List<Thread> liveThreads() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() * 2 + 16];
        int count = root.enumerate(threads, true);
        List<Thread> live = new ArrayList<>(Arrays.asList(threads).subList(0, count));
        live.addAll(VirtualThreads.live());
        return live;
    }
}
