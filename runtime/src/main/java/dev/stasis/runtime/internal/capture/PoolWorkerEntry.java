package dev.stasis.runtime.internal.capture;

import dev.stasis.runtime.internal.snapshot.executors.AsyncTaskAgain;
import dev.stasis.runtime.internal.snapshot.executors.PoolTask;
import java.lang.StackWalker.StackFrame;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.Supplier;

/**
 * The bottom of a {@code ThreadPoolExecutor} worker's stack: {@code Thread.run}, {@code Worker.run},
 * {@code runWorker}, then the task's own JDK frames, then the application. A resume cannot enter those JDK
 * frames in the middle, but it can run the same task again on a worker of the recreated pool, because each
 * JDK frame accepted here is stateless up to its call into the application: {@code FutureTask.run} (still
 * {@code NEW}; the result goes to the {@code Future} the program holds), {@code Executors.RunnableAdapter},
 * a plain {@code Runnable}, and {@code CompletableFuture}'s async tasks and async stages (replaced by {@link
 * AsyncTaskAgain}: the tasks clear their fields before the call, a stage would skip its function if its future were
 * completed meanwhile; see {@link AsyncStages}). Anything else between the pool and the application is refused.
 */
final class PoolWorkerEntry {
    static final String RUN_WORKER_OWNER = ThreadPoolExecutor.class.getName();
    static final String RUN_WORKER = "runWorker";
    private static final String WORKER = ThreadPoolExecutor.class.getName() + "$Worker";
    private static final String FUTURE_TASK = FutureTask.class.getName();
    private static final String SCHEDULED_TASK = ScheduledThreadPoolExecutor.class.getName() + "$ScheduledFutureTask";
    private static final String RUNNABLE_ADAPTER = "java.util.concurrent.Executors$RunnableAdapter";
    private static final String ASYNC_SUPPLY = CompletableFuture.class.getName() + "$AsyncSupply";
    private static final String ASYNC_RUN = CompletableFuture.class.getName() + "$AsyncRun";
    /** Below {@code runWorker}: the worker and the thread's own entry ({@code runWith} on JDK 21+). */
    private static final Set<String> WORKER_BOTTOM = Set.of(WORKER + ".run", Thread.class.getName() + ".run",
            Thread.class.getName() + ".runWith");

    /** What the worker runs, or why it cannot be captured (exactly one is non-null). */
    record Entry(PoolTask task, String refusal) {
    }

    private PoolWorkerEntry() {
    }

    static boolean isPoolWorker(List<StackFrame> frames, int applicationFrames) {
        for (int i = applicationFrames; i < frames.size(); i++) {
            if (is(frames.get(i), RUN_WORKER_OWNER, RUN_WORKER)) {
                return true;
            }
        }
        return false;
    }

    /** {@code frames}: the current thread's walked frames, innermost first; the JDK ones start at {@code applicationFrames}. */
    static Entry inspect(List<StackFrame> frames, int applicationFrames) {
        int runWorker = applicationFrames;
        while (!is(frames.get(runWorker), RUN_WORKER_OWNER, RUN_WORKER)) {
            runWorker++;
        }
        for (int i = runWorker + 1; i < frames.size(); i++) {
            String name = frames.get(i).getClassName() + "." + frames.get(i).getMethodName();
            if (!WORKER_BOTTOM.contains(name)) {
                return refused("the pool worker runs under " + name + " (a custom thread factory's wrapper?), which "
                        + "a resume could not enter again");
            }
        }
        List<StackFrame> between = frames.subList(applicationFrames, runWorker);
        if (!LiveLocals.available()) {
            return refused("this JDK does not let Stasis read which task a ThreadPoolExecutor worker runs");
        }
        List<LiveLocals.LiveFrame> live = LiveLocals.currentThread();
        Object[] workerLocals = outermost(live, RUN_WORKER_OWNER, RUN_WORKER).locals();
        if (!(workerLocals.length > 0 && workerLocals[0] instanceof ThreadPoolExecutor pool)) {
            return refused("cannot find the pool in ThreadPoolExecutor.runWorker's frame");
        }
        if (pool.getClass() != ThreadPoolExecutor.class && pool.getClass() != ScheduledThreadPoolExecutor.class) {
            return refused("the pool is a " + pool.getClass().getName() + "; this version captures tasks of plain "
                    + "ThreadPoolExecutors and ScheduledThreadPoolExecutors (Executors.newFixedThreadPool, "
                    + "newCachedThreadPool, newSingleThreadExecutor, newScheduledThreadPool, or their constructors)");
        }
        Runnable task = runningTask(workerLocals);
        if (task == null) {
            return refused("cannot find the task in ThreadPoolExecutor.runWorker's frame");
        }
        return taskOf(pool, task, between, live);
    }

    private static Entry taskOf(ThreadPoolExecutor pool, Runnable task, List<StackFrame> between,
                                List<LiveLocals.LiveFrame> live) {
        if (between.isEmpty()) {
            return new Entry(new PoolTask(pool, task), null); // runWorker calls the program's Runnable itself
        }
        StackFrame top = between.get(0);
        if (task instanceof FutureTask<?> && isFutureTaskChain(between)) {
            for (LiveLocals.LiveFrame frame : live) {
                if ((frame.is(FUTURE_TASK, "run") || frame.is(FUTURE_TASK, "runAndReset")) && frame.locals().length > 0
                        && frame.locals()[0] instanceof FutureTask<?> future && future.isDone()) {
                    // Run again, a cancelled FutureTask would not call the program back: the rest of the run is lost.
                    return refused("the pool worker runs a task whose Future was cancelled while it runs; a "
                            + "checkpoint waits until that task ends");
                }
            }
            return new Entry(new PoolTask(pool, task), null);
        }
        if (between.size() == 1 && is(top, AsyncTaskAgain.class.getName(), "run")) {
            return new Entry(new PoolTask(pool, task), null); // a task resumed before: it calls the function again
        }
        if (between.size() == 1 && (is(top, ASYNC_SUPPLY, "run") || is(top, ASYNC_RUN, "run"))) {
            return asyncTask(pool, top.getClassName(), live);
        }
        if (AsyncStages.isStage(between)) {
            AsyncStages.Found stage = AsyncStages.standIn(task, between);
            return stage.refusal() != null ? refused(stage.refusal())
                    : new Entry(new PoolTask(pool, stage.task()), null);
        }
        StringBuilder chain = new StringBuilder();
        for (StackFrame frame : between) {
            chain.append(chain.length() == 0 ? "" : " <- ").append(frame.getClassName()).append('.')
                    .append(frame.getMethodName());
        }
        return refused("the pool worker runs the application under " + chain + ", which a resume could not enter "
                + "again; this version resumes tasks run by FutureTask (submit, invokeAll), plain Runnables "
                + "(execute), CompletableFuture.supplyAsync/runAsync and the async stages " + AsyncStages.SUPPORTED
                + " on such a pool");
    }

    /**
     * {@code FutureTask.run}, possibly calling through {@code Executors.RunnableAdapter} into another
     * {@code FutureTask}, as {@code submit(Runnable)} and {@code ExecutorCompletionService} (whose queueing future
     * wraps the task's) nest them: innermost first, the frames alternate, and the outermost is {@code FutureTask.run}
     * or, for a scheduled task, {@code ScheduledFutureTask.run} over {@code run} or (periodic) {@code runAndReset}.
     */
    private static boolean isFutureTaskChain(List<StackFrame> between) {
        int outermost = between.size() - 1;
        if (is(between.get(outermost), SCHEDULED_TASK, "run")) {
            outermost--;
            if (outermost < 0 || !is(between.get(outermost), FUTURE_TASK, "run")
                    && !is(between.get(outermost), FUTURE_TASK, "runAndReset")) {
                return false;
            }
            outermost--;
            if (outermost >= 0 && !is(between.get(outermost), RUNNABLE_ADAPTER, "call")) {
                return false;
            }
            return outermost <= 0; // a scheduled task's callable is the program's, or an adapter of its Runnable
        }
        boolean expectRun = true;
        for (int i = outermost; i >= 0; i--) {
            if (!is(between.get(i), expectRun ? FUTURE_TASK : RUNNABLE_ADAPTER, expectRun ? "run" : "call")) {
                return false;
            }
            expectRun = !expectRun;
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private static Entry asyncTask(ThreadPoolExecutor pool, String owner, List<LiveLocals.LiveFrame> live) {
        Object[] locals = outermost(live, owner, "run").locals();
        CompletableFuture<Object> future = null;
        Object function = null;
        for (int i = 1; i < locals.length; i++) { // 0 is the task itself, a Runnable too
            if (locals[i] instanceof CompletableFuture<?> f && future == null) {
                future = (CompletableFuture<Object>) f;
            } else if ((locals[i] instanceof Supplier<?> || locals[i] instanceof Runnable) && function == null) {
                function = locals[i];
            }
        }
        if (future == null || function == null) {
            return refused("cannot find the future and the function in " + owner + ".run's frame");
        }
        AsyncTaskAgain again = owner.equals(ASYNC_SUPPLY) && function instanceof Supplier<?> supplier
                ? AsyncTaskAgain.supply(future, supplier)
                : AsyncTaskAgain.run(future, (Runnable) function);
        return new Entry(new PoolTask(pool, again), null);
    }

    /** The task local of {@code runWorker}: the Runnable that is neither the worker nor its thread (the pool is at 0). */
    private static Runnable runningTask(Object[] locals) {
        for (int i = 1; i < locals.length; i++) {
            if (locals[i] instanceof Runnable runnable && !(runnable instanceof Thread)
                    && !runnable.getClass().getName().equals(WORKER)) {
                return runnable;
            }
        }
        return null;
    }

    private static LiveLocals.LiveFrame outermost(List<LiveLocals.LiveFrame> frames, String owner, String method) {
        for (int i = frames.size() - 1; i >= 0; i--) {
            if (frames.get(i).is(owner, method)) {
                return frames.get(i);
            }
        }
        throw new IllegalStateException(owner + "." + method + " is not on the stack");
    }

    private static boolean is(StackFrame frame, String owner, String method) {
        return frame.getClassName().equals(owner) && frame.getMethodName().equals(method);
    }

    private static Entry refused(String reason) {
        return new Entry(null, reason);
    }
}
