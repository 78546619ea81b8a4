package dev.stasis.runtime.internal.capture;

import dev.stasis.rt.LockCalls;
import dev.stasis.runtime.internal.registry.InstrumentedClasses;
import dev.stasis.runtime.internal.snapshot.executors.AsyncTaskAgain;
import dev.stasis.runtime.internal.snapshot.executors.PoolTask;
import java.lang.StackWalker.StackFrame;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides whether the current thread can be captured at the poll it is in: every frame from the
 * poll's caller down to the thread's entry must be an instrumented method of a class-path class,
 * and the thread may hold no lock except the monitor of a {@code synchronized} method on that stack.
 *
 * <p>{@code RETAIN_CLASS_REFERENCE} only adds the declaring class to each frame; the frames shown are
 * the default ones, so lambda proxies, {@code LambdaForm}s and reflection frames (stateless
 * forwarders) are passed through.
 */
final class StackInspector {
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    private static final Set<String> ENGINE_CLASSES = Set.of(PortableEngine.class.getName(), StackInspector.class.getName());
    private static final String FORK_JOIN_PREFIX = "java.util.concurrent.ForkJoin";
    private static final List<String> JDK_PREFIXES = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.");
    private static final String VIRTUAL_THREAD = "java.lang.VirtualThread";
    private static final String PLATFORM_ENTRIES = "this version captures threads whose application code Thread.run "
            + "calls directly, ThreadPoolExecutor workers and tasks of a thread-per-task executor";
    private static final String VIRTUAL_ENTRIES = "this version captures virtual threads whose application code the "
            + "thread runs directly (Thread.ofVirtual().start, Thread.startVirtualThread, a virtual thread factory) "
            + "or as a task of a thread-per-task executor (newVirtualThreadPerTaskExecutor)";

    /**
     * Capturable with {@code frames} instrumented frames whose method keys, innermost first, are {@code keys}; or
     * blocked for the reason in {@code blocker}. {@code poolTask}: for a pool worker, the task a resume runs again.
     */
    record Verdict(int frames, List<String> keys, String blocker, PoolTask poolTask) {
        boolean capturable() {
            return blocker == null;
        }

        static Verdict blocked(StackTraceElement at, String reason) {
            return new Verdict(0, List.of(), (at == null ? "" : "at " + describe(at) + ": ") + reason, null);
        }
    }

    private final InstrumentedClasses registry;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    StackInspector(InstrumentedClasses registry) {
        this.registry = registry;
    }

    /**
     * {@code releasable}: the monitor of the {@code synchronized} block the top application frame waits in, when
     * that frame's save path exits it ({@code ObjectWaitCalls.takeReleasedAtPoll}); else null.
     */
    Verdict inspectCurrentThread(Object releasable) {
        List<StackFrame> frames = WALKER.walk(stream -> stream.dropWhile(StackInspector::isStasisFrame)
                .collect(Collectors.toList()));
        int applicationFrames = frames.size();
        // The thread's entry trampolines (Thread.run, the launcher) sit below the application: they are
        // never rewound, the thread re-enters its bottom application frame by itself.
        while (applicationFrames > 0 && isEntryFrame(frames.get(applicationFrames - 1).getClassName())) {
            applicationFrames--;
        }
        if (applicationFrames == 0) {
            return Verdict.blocked(null, "no application frame is on the stack");
        }
        Verdict forkJoin = checkForkJoin(frames, applicationFrames);
        if (forkJoin != null) {
            return forkJoin;
        }
        PoolTask poolTask = null;
        if (PoolWorkerEntry.isPoolWorker(frames, applicationFrames)) {
            PoolWorkerEntry.Entry entry = PoolWorkerEntry.inspect(frames, applicationFrames);
            if (entry.refusal() != null) {
                return Verdict.blocked(frames.get(applicationFrames - 1).toStackTraceElement(), entry.refusal());
            }
            poolTask = entry.task();
        } else {
            Verdict entry = checkEntry(frames, applicationFrames);
            if (entry != null) {
                return entry;
            }
        }
        for (int i = 0; i < applicationFrames; i++) {
            Verdict blocked = checkFrame(frames, i, applicationFrames);
            if (blocked != null) {
                return blocked;
            }
        }
        Verdict locks = checkLocks(frames.subList(0, applicationFrames), releasable);
        if (locks != null) {
            return locks;
        }
        List<String> keys = new java.util.ArrayList<>(applicationFrames);
        for (StackFrame frame : frames.subList(0, applicationFrames)) {
            keys.add(InstrumentedClasses.key(frame.getClassName().replace('.', '/'), frame.getMethodName(),
                    frame.getDescriptor()));
        }
        return new Verdict(applicationFrames, keys, null, poolTask);
    }

    /**
     * A resume recreates a thread and starts it, so its bottom application frame must be what {@code Thread.run}
     * calls (or the JVM, for {@code main}), or for a virtual thread what {@code VirtualThread.run} calls, or what a
     * thread-per-task executor's task calls ({@link PerTaskExecutorEntry}). Application code that another JDK
     * caller runs in turn could not be entered again that way (pool workers are {@link PoolWorkerEntry}'s).
     */
    private static Verdict checkEntry(List<StackFrame> frames, int applicationFrames) {
        boolean virtual = VirtualThreads.isVirtual(Thread.currentThread());
        int threadEntry = applicationFrames;
        PerTaskExecutorEntry.Entry perTask = PerTaskExecutorEntry.inspect(frames, applicationFrames);
        if (perTask != null) {
            if (perTask.refusal() != null) {
                return Verdict.blocked(frames.get(applicationFrames - 1).toStackTraceElement(), perTask.refusal());
            }
            threadEntry = perTask.threadEntry();
        }
        for (int i = threadEntry; i < frames.size(); i++) {
            StackFrame below = frames.get(i);
            if (!isThreadEntry(below.getClassName(), virtual)) {
                return Verdict.blocked(frames.get(applicationFrames - 1).toStackTraceElement(), "the thread runs "
                        + "application code under " + below.getClassName() + "." + below.getMethodName()
                        + ", which a resume could not enter again; " + (virtual ? VIRTUAL_ENTRIES : PLATFORM_ENTRIES));
            }
        }
        return null;
    }

    private static boolean isThreadEntry(String className, boolean virtual) {
        return virtual ? className.equals(VIRTUAL_THREAD) || className.startsWith(VIRTUAL_THREAD + "$")
                : className.equals(Thread.class.getName());
    }

    /**
     * Fork/join work (a parallel stream, a {@code ForkJoinTask}, on a pool worker or in the thread that waits for
     * it, which helps) is never captured: its JDK frames hold the split of the work. Said as such, since the
     * checkpoint then waits for the pool to become quiescent.
     */
    private static Verdict checkForkJoin(List<StackFrame> frames, int applicationFrames) {
        for (StackFrame frame : frames) {
            if (frame.getClassName().startsWith(FORK_JOIN_PREFIX)) {
                return Verdict.blocked(frames.get(Math.min(applicationFrames, frames.size()) - 1).toStackTraceElement(),
                        "the thread " + forkJoinWork(frame.getClassName() + "." + frame.getMethodName()));
            }
        }
        return null;
    }

    /** What a thread whose stack holds fork/join frames is doing, or null: for a thread that never reached a poll. */
    static String forkJoinWork(StackTraceElement[] stack) {
        for (StackTraceElement element : stack) {
            if (element.getClassName().startsWith(FORK_JOIN_PREFIX)) {
                return forkJoinWork(element.getClassName() + "." + element.getMethodName());
            }
        }
        return null;
    }

    private static String forkJoinWork(String method) {
        return "runs ForkJoinPool work (" + method + ": a parallel stream or a fork/join task), which is never "
                + "captured; a checkpoint waits until the pool is quiescent";
    }

    private Verdict checkFrame(List<StackFrame> frames, int index, int applicationFrames) {
        StackFrame frame = frames.get(index);
        String owner = frame.getClassName().replace('.', '/');
        String key = InstrumentedClasses.key(owner, frame.getMethodName(), frame.getDescriptor());
        if (registry.isInstrumented(key)) {
            ClassLoader loader = frame.getDeclaringClass().getClassLoader();
            if (loader != ClassLoader.getSystemClassLoader()) {
                return Verdict.blocked(frame.toStackTraceElement(), "class " + frame.getClassName()
                        + " comes from class loader " + loader + ", not the class path; this version restores "
                        + "only classes of the system class loader");
            }
            return null;
        }
        String method = frame.getClassName() + "." + frame.getMethodName();
        if (isJdk(frame.getClassName())) {
            return jdkFrameBetween(frames, index, applicationFrames);
        }
        if (frame.getMethodName().equals("<init>") || frame.getMethodName().equals("<clinit>")) {
            return Verdict.blocked(frame.toStackTraceElement(), method + " is a " + (frame.getMethodName()
                    .equals("<init>") ? "constructor" : "static initialiser") + ", which is never captured: "
                    + "a checkpoint waits until it returns");
        }
        if (frame.isNativeMethod()) {
            return Verdict.blocked(frame.toStackTraceElement(), method + " is a native method");
        }
        String skipped = registry.skipReason(key);
        if (skipped != null) {
            return Verdict.blocked(frame.toStackTraceElement(), method + frame.getDescriptor()
                    + " was left uninstrumented: " + skipped);
        }
        String failed = registry.failureReason(owner);
        if (failed != null) {
            return Verdict.blocked(frame.toStackTraceElement(), "class " + frame.getClassName()
                    + " could not be instrumented: " + failed);
        }
        return Verdict.blocked(frame.toStackTraceElement(), method + frame.getDescriptor()
                + " is not instrumented (its class was loaded before the agent or excluded)");
    }

    /**
     * Names the JDK method the application called (where the user can act) and what it called back,
     * e.g. {@code at a.B.c(B.java:12): java.util.Arrays.sort is a JDK frame between application
     * frames (it calls back into a.B.compare)}.
     */
    private static Verdict jdkFrameBetween(List<StackFrame> frames, int firstJdk, int applicationFrames) {
        int caller = firstJdk;
        while (caller < applicationFrames && isJdk(frames.get(caller).getClassName())) {
            caller++;
        }
        StackFrame entered = frames.get(caller - 1);
        String callback = firstJdk == 0 ? ""
                : " (it calls back into " + frames.get(firstJdk - 1).getClassName() + "."
                + frames.get(firstJdk - 1).getMethodName() + ")";
        return Verdict.blocked(frames.get(caller).toStackTraceElement(), entered.getClassName() + "."
                + entered.getMethodName() + " is a JDK frame between application frames" + callback);
    }

    /**
     * A thread stopped inside a critical section would let other threads in while it unwinds, and a
     * lock restored by value has no owner: only the monitor a {@code synchronized} method takes on
     * entry is allowed, because unwinding returns from that method and rewinding enters it again.
     * {@code java.util.concurrent} locks are known from the holds the rewritten call sites counted
     * ({@link LockCalls}); asking the JVM for them would search the whole heap for every thread. A hold
     * that escaped the count is caught once per checkpoint, at the cut ({@link UntrackedLocks}).
     */
    private Verdict checkLocks(List<StackFrame> frames, Object releasable) {
        Object lock = LockCalls.heldByCurrentThread();
        if (lock != null) {
            return Verdict.blocked(frames.get(0).toStackTraceElement(), "holds the java.util.concurrent lock "
                    + identity(lock) + "; a thread is captured only when it holds no such lock");
        }
        if (LiveLocals.available()) {
            return checkMonitorsFromFrames(frames, releasable);
        }
        if (VirtualThreads.isVirtual(Thread.currentThread())) {
            return Verdict.blocked(null, "this JDK does not let Stasis read which monitors a virtual thread holds "
                    + "(java.lang.LiveStackFrame), so it cannot tell whether it is inside a synchronized block");
        }
        // Without LiveStackFrame: a thread dump of this thread, a safepoint of the whole JVM each time.
        ThreadInfo info = threads.getThreadInfo(new long[] {Thread.currentThread().getId()}, true, false)[0];
        if (info == null) {
            return null;
        }
        MonitorInfo[] monitors = info.getLockedMonitors();
        if (monitors.length == 0) {
            return null;
        }
        int[] frameOfDepth = alignFromBottom(info.getStackTrace(), frames);
        int[] monitorsPerFrame = new int[frames.size()];
        for (MonitorInfo monitor : monitors) {
            int depth = monitor.getLockedStackDepth();
            int frame = depth >= 0 && depth < frameOfDepth.length ? frameOfDepth[depth] : -1;
            boolean released = frame == 0 && releasable != null
                    && monitor.getIdentityHashCode() == System.identityHashCode(releasable)
                    && monitor.getClassName().equals(releasable.getClass().getName());
            if (frame < 0 || ++monitorsPerFrame[frame] > 1 || !released && !isSynchronizedMethod(frames.get(frame))) {
                return Verdict.blocked(monitor.getLockedStackFrame(), "holds the monitor of " + monitor
                        + " (a synchronized block); a thread is captured only outside synchronized blocks");
            }
        }
        return null;
    }

    /** {@code java.util.concurrent.locks.ReentrantLock@1b6d3586}, as {@code LockInfo} names it; never its toString. */
    private static String identity(Object lock) {
        return lock.getClass().getName() + '@' + Integer.toHexString(System.identityHashCode(lock));
    }

    /**
     * The monitors the current thread holds, read from its own live frames: no thread dump covers a virtual thread,
     * and a thread dump of a platform thread is a safepoint of the whole JVM, which with every thread checking
     * itself once per checkpoint made up much of the time to safepoint. Each application frame may hold one, and
     * only as a {@code synchronized} method, or as the block of a cut wait whose save exits it ({@code releasable},
     * top frame only); Stasis's own frames (the poll) are not the program's, any other frame's monitor refuses.
     */
    private static Verdict checkMonitorsFromFrames(List<StackFrame> frames, Object releasable) {
        List<LiveLocals.HeldMonitors> innermostFirst = LiveLocals.heldMonitors();
        // Outermost first: the refusal names the monitor held longest, whichever poll the thread is at (inside
        // nested blocks, the inner one would be let go by a wait, the outer one not).
        for (int i = innermostFirst.size() - 1; i >= 0; i--) {
            LiveLocals.HeldMonitors held = innermostFirst.get(i);
            StackFrame frame = held.frame();
            if (isStasisFrame(frame)) {
                continue;
            }
            int index = indexOfFrame(frames, frame);
            List<Object> monitors = held.monitors();
            boolean released = index == 0 && releasable != null && monitors.size() == 1
                    && monitors.get(0) == releasable;
            if (index < 0 || monitors.size() > 1 || !released && !isSynchronizedMethod(frame)) {
                Object monitor = monitors.get(monitors.size() - 1);
                return Verdict.blocked(frame.toStackTraceElement(), "holds the monitor of "
                        + monitor.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(monitor))
                        + " (a synchronized block); a thread is captured only outside synchronized blocks");
            }
        }
        return null;
    }

    /** Where {@code frame} is among the application frames, or -1. */
    private static int indexOfFrame(List<StackFrame> frames, StackFrame frame) {
        for (int i = 0; i < frames.size(); i++) {
            if (isSameFrame(frames.get(i), frame)) {
                return i;
            }
        }
        return -1;
    }

    /** The same method at the same instruction: two walks of one thread's stack do not share frame objects. */
    private static boolean isSameFrame(StackFrame a, StackFrame b) {
        return a.getClassName().equals(b.getClassName()) && a.getMethodName().equals(b.getMethodName())
                && a.getDescriptor().equals(b.getDescriptor()) && a.getByteCodeIndex() == b.getByteCodeIndex();
    }

    /**
     * Maps each depth of the thread dump to the walked frame at the same place, or -1. The dump may
     * show frames the walker hides, so both are matched from the bottom, where they agree.
     */
    private static int[] alignFromBottom(StackTraceElement[] dump, List<StackFrame> frames) {
        int[] frameOfDepth = new int[dump.length];
        Arrays.fill(frameOfDepth, -1);
        int next = frames.size() - 1;
        for (int depth = dump.length - 1; depth >= 0 && next >= 0; depth--) {
            StackTraceElement element = frames.get(next).toStackTraceElement();
            if (element.getClassName().equals(dump[depth].getClassName())
                    && element.getMethodName().equals(dump[depth].getMethodName())
                    && element.getLineNumber() == dump[depth].getLineNumber()) {
                frameOfDepth[depth] = next--;
            }
        }
        return frameOfDepth;
    }

    private static boolean isSynchronizedMethod(StackFrame frame) {
        Class<?>[] parameters = frame.getMethodType().parameterArray();
        for (Method method : frame.getDeclaringClass().getDeclaredMethods()) {
            if (method.getName().equals(frame.getMethodName())
                    && Arrays.equals(method.getParameterTypes(), parameters)
                    && method.getReturnType() == frame.getMethodType().returnType()) {
                return Modifier.isSynchronized(method.getModifiers());
            }
        }
        return false;
    }

    /** {@code a.B.c(B.java:12)}: without the module and loader prefixes the JDK adds in some places. */
    static String describe(StackTraceElement element) {
        String source = element.getFileName() == null ? "Unknown Source"
                : element.getLineNumber() >= 0 ? element.getFileName() + ":" + element.getLineNumber()
                : element.getFileName();
        return element.getClassName() + "." + element.getMethodName() + "(" + (element.isNativeMethod()
                ? "Native Method" : source) + ")";
    }

    private static boolean isStasisFrame(StackFrame frame) {
        return frame.getClassName().startsWith("dev.stasis.rt.") || ENGINE_CLASSES.contains(frame.getClassName());
    }

    /** Below the application: the JDK's frames, and Stasis's stand-in for a resumed async task (a forwarder). */
    private static boolean isEntryFrame(String className) {
        return isJdk(className) || className.equals(AsyncTaskAgain.class.getName());
    }

    static boolean isJdk(String className) {
        for (String prefix : JDK_PREFIXES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
