package dev.stasis.runtime.internal.snapshot.executors;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Stands for a {@code CompletableFuture.supplyAsync}/{@code runAsync} task captured in flight. The JDK's
 * task clears its own fields before it calls the program's function, so running it again would do nothing;
 * this one calls the function again (which rewinds into the captured frames) and completes the future the
 * way the JDK's task would: with the value, or with the failure wrapped in a {@code CompletionException}.
 *
 * @param future   the future the program holds (its dependents run when it completes)
 * @param supplier the program's {@code Supplier}, or null for a {@code Runnable} task
 * @param runnable the program's {@code Runnable}, or null for a {@code Supplier} task
 */
public record AsyncTaskAgain(CompletableFuture<Object> future, Supplier<?> supplier, Runnable runnable)
        implements Runnable {

    @Override
    public void run() {
        // Not skipped when the program completed the future meanwhile: the captured function was running and
        // runs to its end, as it would have (completing a done future changes nothing).
        try {
            if (supplier != null) {
                future.complete(supplier.get());
            } else {
                runnable.run();
                future.complete(null);
            }
        } catch (Throwable failure) {
            future.completeExceptionally(failure instanceof CompletionException ? failure
                    : new CompletionException(failure));
        }
    }
}
