package dev.stasis.runtime.internal.snapshot.executors;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Stands for a {@code CompletableFuture} async task captured in flight on a pool: {@code supplyAsync}/{@code
 * runAsync}, whose JDK task clears its fields before it calls the program's function, and the async stages
 * ({@code thenApplyAsync}, {@code thenAcceptAsync}, {@code thenRunAsync}, {@code handleAsync}, {@code
 * whenCompleteAsync}, {@code thenComposeAsync}, {@code thenCombineAsync}, {@code thenAcceptBothAsync}, {@code
 * runAfterBothAsync}), whose JDK task would skip the function if the dependent future were completed meanwhile (an
 * {@code orTimeout}, the program's own {@code complete}): the rewind would then never be taken up. This one always
 * calls the function again with the input it had (which rewinds into the captured frames) and completes the
 * dependent future as the JDK's task would: with the value, or with the failure wrapped in a {@code
 * CompletionException}; a {@code whenComplete} stage passes the source's outcome on.
 *
 * <p>Each call of the program's function is made from {@link #run} itself: a pool worker resumed before is
 * recognised by that one frame between the pool and the application.
 *
 * @param future   the dependent future the program holds (its own dependents run when it completes)
 * @param call     which function of the program and how its result completes the future
 * @param function the program's function ({@code Supplier}, {@code Runnable}, {@code Function}, ...)
 * @param input    the source's value the function is given (null where it takes none, or the source failed)
 * @param other    the second source's value, for the two-input stages
 * @param failure  the source's exception as the JDK hands it to {@code handle}/{@code whenComplete}, or null
 */
public record AsyncTaskAgain(CompletableFuture<Object> future, Call call, Object function, Object input, Object other,
                             Throwable failure) implements Runnable {

    /** The function's shape, named after the {@code CompletableFuture} method that made the task. */
    public enum Call {
        SUPPLY, RUN, APPLY, ACCEPT, HANDLE, WHEN_COMPLETE, COMPOSE, COMBINE, ACCEPT_BOTH
    }

    public static AsyncTaskAgain supply(CompletableFuture<Object> future, Supplier<?> supplier) {
        return new AsyncTaskAgain(future, Call.SUPPLY, supplier, null, null, null);
    }

    /** {@code runAsync}, {@code thenRunAsync} and {@code runAfterBothAsync}: the function takes nothing. */
    public static AsyncTaskAgain run(CompletableFuture<Object> future, Runnable runnable) {
        return new AsyncTaskAgain(future, Call.RUN, runnable, null, null, null);
    }

    /** A stage of one source that completed normally with {@code input}. */
    public static AsyncTaskAgain oneInput(CompletableFuture<Object> future, Call call, Object function, Object input) {
        return new AsyncTaskAgain(future, call, function, input, null, null);
    }

    /** {@code handleAsync}/{@code whenCompleteAsync}: the source's value, or its exception. */
    public static AsyncTaskAgain outcome(CompletableFuture<Object> future, Call call, Object function, Object input,
                                         Throwable failure) {
        return new AsyncTaskAgain(future, call, function, input, null, failure);
    }

    /** A stage of two sources, both completed normally. */
    public static AsyncTaskAgain twoInputs(CompletableFuture<Object> future, Call call, Object function, Object input,
                                           Object other) {
        return new AsyncTaskAgain(future, call, function, input, other, null);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void run() {
        // Not skipped when the program completed the future meanwhile: the captured function was running and
        // runs to its end, as it would have (completing a done future changes nothing).
        Object result;
        try {
            result = switch (call) {
                case SUPPLY -> ((Supplier<?>) function).get();
                case RUN -> {
                    ((Runnable) function).run();
                    yield null;
                }
                case APPLY -> ((Function<Object, ?>) function).apply(input);
                case ACCEPT -> {
                    ((Consumer<Object>) function).accept(input);
                    yield null;
                }
                case HANDLE -> ((BiFunction<Object, Throwable, ?>) function).apply(input, failure);
                case WHEN_COMPLETE -> {
                    ((BiConsumer<Object, Throwable>) function).accept(input, failure);
                    yield input;
                }
                case COMPOSE -> ((Function<Object, CompletionStage<?>>) function).apply(input).toCompletableFuture();
                case COMBINE -> ((BiFunction<Object, Object, ?>) function).apply(input, other);
                case ACCEPT_BOTH -> {
                    ((BiConsumer<Object, Object>) function).accept(input, other);
                    yield null;
                }
            };
        } catch (Throwable thrown) {
            future.completeExceptionally(wrapped(call == Call.WHEN_COMPLETE ? sourceFailureWith(thrown) : thrown));
            return;
        }
        if (call == Call.WHEN_COMPLETE && failure != null) {
            future.completeExceptionally(wrapped(failure)); // whenComplete passes the source's failure on
        } else if (call == Call.COMPOSE) {
            ((CompletableFuture<Object>) result).whenComplete(new Relay(future));
        } else {
            future.complete(result);
        }
    }

    /** As {@code uniWhenComplete}: the action's exception fails the stage, or is suppressed by the source's. */
    private Throwable sourceFailureWith(Throwable thrown) {
        if (failure == null) {
            return thrown;
        }
        if (failure != thrown) {
            failure.addSuppressed(thrown);
        }
        return failure;
    }

    /** The JDK's {@code encodeThrowable}: a dependent's failure is always a {@code CompletionException}. */
    static Throwable wrapped(Throwable failure) {
        return failure instanceof CompletionException ? failure : new CompletionException(failure);
    }

    /**
     * Completes a {@code thenCompose} stage with what the program's returned stage completes with, as the JDK's
     * {@code UniRelay} does. A named class, not a lambda: it waits in that stage's dependents and may be written
     * into a snapshot.
     */
    record Relay(CompletableFuture<Object> target) implements BiConsumer<Object, Throwable> {
        @Override
        public void accept(Object value, Throwable failure) {
            if (failure == null) {
                target.complete(value);
            } else {
                target.completeExceptionally(wrapped(failure));
            }
        }
    }
}
