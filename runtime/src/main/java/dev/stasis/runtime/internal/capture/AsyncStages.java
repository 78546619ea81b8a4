package dev.stasis.runtime.internal.capture;

import dev.stasis.runtime.internal.snapshot.executors.AsyncTaskAgain;
import dev.stasis.runtime.internal.snapshot.executors.AsyncTaskAgain.Call;
import java.lang.StackWalker.StackFrame;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A {@code CompletableFuture} async stage ({@code thenApplyAsync(fn, pool)} and its kin) that a pool worker runs:
 * the worker's task is the JDK's {@code Completion}, whose frames below the program's function are {@code
 * Completion.run}, the stage's {@code tryFire} and, for some kinds, a {@code CompletableFuture} helper (the same
 * on JDK 17 and 25). While the function runs, the {@code Completion} still holds the dependent future, the
 * source(s) and the function (it clears them only after), so the capture reads them there and writes an {@link
 * AsyncTaskAgain} that calls the function again with the same input. Only that exact chain is accepted: a stage
 * run synchronously by another stage's completion ({@code postFire}, {@code postComplete} below it) has already
 * cleared its task's fields and is refused with the rest.
 */
final class AsyncStages {
    private static final String FUTURE = CompletableFuture.class.getName();
    private static final String COMPLETION_RUN = FUTURE + "$Completion.run";
    private static final String ALT_RESULT = FUTURE + "$AltResult";
    private static final String MINIMAL_STAGE = FUTURE + "$MinimalStage";

    /** A supported stage: the class of its {@code Completion}, its helper frame (or null) and its call. */
    private record Kind(Call call, String helper) {
        boolean twoSources() {
            return helper != null && helper.startsWith("bi");
        }
    }

    private static final Map<String, Kind> KINDS = Map.of(
            FUTURE + "$UniApply", new Kind(Call.APPLY, null),
            FUTURE + "$UniAccept", new Kind(Call.ACCEPT, null),
            FUTURE + "$UniRun", new Kind(Call.RUN, null),
            FUTURE + "$UniCompose", new Kind(Call.COMPOSE, null),
            FUTURE + "$UniHandle", new Kind(Call.HANDLE, "uniHandle"),
            FUTURE + "$UniWhenComplete", new Kind(Call.WHEN_COMPLETE, "uniWhenComplete"),
            FUTURE + "$BiApply", new Kind(Call.COMBINE, "biApply"),
            FUTURE + "$BiAccept", new Kind(Call.ACCEPT_BOTH, "biAccept"),
            FUTURE + "$BiRun", new Kind(Call.RUN, "biRun"));

    static final String SUPPORTED = "thenApplyAsync, thenAcceptAsync, thenRunAsync, handleAsync, whenCompleteAsync, "
            + "thenComposeAsync, thenCombineAsync, thenAcceptBothAsync and runAfterBothAsync";

    /** What {@link #standIn} found: the stand-in task, or why the stage cannot be captured (exactly one is set). */
    record Found(AsyncTaskAgain task, String refusal) {
    }

    private AsyncStages() {
    }

    /** True if {@code between} (the JDK frames from the application down to {@code runWorker}) ends in a stage. */
    static boolean isStage(List<StackFrame> between) {
        return name(between.get(between.size() - 1)).equals(COMPLETION_RUN);
    }

    /** The stand-in for {@code task}, the worker's {@code Completion}, whose frames are {@code between}. */
    static Found standIn(Runnable task, List<StackFrame> between) {
        String type = task.getClass().getName();
        Kind kind = KINDS.get(type);
        if (kind == null) {
            return refused("the pool worker runs the CompletableFuture stage " + type.substring(FUTURE.length() + 1)
                    + ", which a resume could not enter again (applyToEitherAsync, acceptEitherAsync, "
                    + "runAfterEitherAsync, exceptionallyAsync and exceptionallyComposeAsync are not resumed); this "
                    + "version resumes " + SUPPORTED);
        }
        int expected = kind.helper() == null ? 2 : 3;
        boolean chain = between.size() == expected && name(between.get(expected - 2)).equals(type + ".tryFire")
                && (kind.helper() == null || name(between.get(0)).equals(FUTURE + "." + kind.helper()));
        if (!chain) {
            return refused("the pool worker runs the application under " + describe(between) + ", not directly in "
                    + "the function of its " + type.substring(FUTURE.length() + 1) + " stage (a stage run by another's "
                    + "completion?), which a resume could not enter again");
        }
        Object dependent = read(task, "dep");
        Object source = read(task, "src");
        Object function = read(task, "fn");
        if (!(dependent instanceof CompletableFuture<?> dep) || !(source instanceof CompletableFuture<?> src)
                || function == null) {
            return refused("cannot read the dependent future, the source and the function of the " + type
                    + " the pool worker runs");
        }
        if (dep.getClass().getName().equals(MINIMAL_STAGE)) {
            return refused("the pool worker runs a stage of a minimalCompletionStage, whose future cannot be "
                    + "completed from outside the JDK; this version resumes " + SUPPORTED + " of CompletableFutures");
        }
        @SuppressWarnings("unchecked")
        CompletableFuture<Object> future = (CompletableFuture<Object>) dep;
        Outcome first = Outcome.of(src);
        if (first == null) {
            return refused("the source of the " + type + " the pool worker runs is not complete");
        }
        if (kind.twoSources()) {
            return twoSources(task, kind, future, function, first);
        }
        if (first.failure() != null && kind.call() != Call.HANDLE && kind.call() != Call.WHEN_COMPLETE) {
            return refused("the source of the " + type + " the pool worker runs failed, so the JDK would not have "
                    + "called its function");
        }
        return switch (kind.call()) {
            case HANDLE, WHEN_COMPLETE -> found(AsyncTaskAgain.outcome(future, kind.call(), function, first.value(),
                    first.failure()));
            case RUN -> found(AsyncTaskAgain.run(future, (Runnable) function));
            default -> found(AsyncTaskAgain.oneInput(future, kind.call(), function, first.value()));
        };
    }

    /** A two-source stage calls the function only when both sources completed normally. */
    private static Found twoSources(Runnable task, Kind kind, CompletableFuture<Object> future, Object function,
                                    Outcome first) {
        Object second = read(task, "snd");
        Outcome other = second instanceof CompletableFuture<?> snd ? Outcome.of(snd) : null;
        if (other == null || first.failure() != null || other.failure() != null) {
            return refused("cannot read the second source of the " + task.getClass().getName()
                    + " the pool worker runs, or it did not complete normally");
        }
        return found(kind.call() == Call.RUN ? AsyncTaskAgain.run(future, (Runnable) function)
                : AsyncTaskAgain.twoInputs(future, kind.call(), function, first.value(), other.value()));
    }

    /**
     * A complete future's value, or the exception as stored, which the JDK hands to {@code handle}/{@code
     * whenComplete} (read from its {@code result} field: {@code join} would wrap it, and a {@code
     * minimalCompletionStage} answers no query at all).
     */
    private record Outcome(Object value, Throwable failure) {
        static Outcome of(CompletableFuture<?> future) {
            Object result = read(future, "result");
            if (result == null) {
                return null;
            }
            if (result.getClass().getName().equals(ALT_RESULT)) {
                return new Outcome(null, (Throwable) read(result, "ex")); // ex null: completed with null
            }
            return new Outcome(result, null);
        }
    }

    private static Object read(Object owner, String name) {
        for (Class<?> c = owner.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field field = c.getDeclaredField(name);
                field.setAccessible(true);
                return field.get(owner);
            } catch (NoSuchFieldException e) {
                // declared by a superclass
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null; // not opened to Stasis: refused by the caller, with what it could not read
            }
        }
        return null;
    }

    private static String describe(List<StackFrame> between) {
        StringBuilder chain = new StringBuilder();
        for (StackFrame frame : between) {
            chain.append(chain.length() == 0 ? "" : " <- ").append(name(frame));
        }
        return chain.toString();
    }

    private static String name(StackFrame frame) {
        return frame.getClassName() + "." + frame.getMethodName();
    }

    private static Found found(AsyncTaskAgain task) {
        return new Found(task, null);
    }

    private static Found refused(String reason) {
        return new Found(null, reason);
    }
}
