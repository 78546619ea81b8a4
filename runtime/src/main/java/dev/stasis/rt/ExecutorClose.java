package dev.stasis.rt;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

/**
 * {@code ExecutorService.close()} (JDK 19 and later) as two steps, so that a thread at the end of
 * {@code try (var executor = ...) { }} is captured at once: {@link #begin} calls {@code shutdown()} once, unless the
 * executor has terminated, and the wait for termination ({@link Termination}) is resumable. As the JDK's default
 * method: the program's first interrupt during the wait calls {@code shutdownNow()} and the wait goes on; the
 * interrupt status is set again when it ends. Whether that happened is kept in the array {@link #begin} returns,
 * which the caller's frame holds, so a wait cut short for a checkpoint and made again (in this process or after a
 * relaunch) neither calls {@code shutdownNow()} a second time nor forgets the interrupt. The runtime is compiled for
 * Java 17, which has no {@code close()}; it does not need it for these steps.
 */
final class ExecutorClose {
    /** {@code ForkJoinPool.close()}, or null before JDK 19. */
    private static final MethodHandle FORK_JOIN_CLOSE = forkJoinClose();

    private ExecutorClose() {
    }

    /**
     * {@code shutdown()} unless terminated (nothing for a {@code ForkJoinPool}: its own {@code close()} runs in the
     * wait); the wait's memory, one element: true once the program's interrupt made it call {@code shutdownNow()}.
     */
    static boolean[] begin(ExecutorService executor) {
        if (!(executor instanceof ForkJoinPool) && !executor.isTerminated()) {
            executor.shutdown();
        }
        return new boolean[1];
    }

    /**
     * {@code ForkJoinPool}'s own {@code close()}, as it was, no safepoint: the common pool's does nothing (a
     * shutdown and a wait would never end), and an interrupt of ours would make it call {@code shutdownNow()}.
     */
    static void closeForkJoinPool(ForkJoinPool pool) {
        if (FORK_JOIN_CLOSE == null) {
            closeBeforeJdk19(pool);
            return;
        }
        try {
            FORK_JOIN_CLOSE.invokeExact(pool);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable undeclared) {
            throw new IllegalStateException(undeclared); // close() declares nothing
        }
    }

    /**
     * Only generated classes can call {@code close()} on JDK 17 and 18; they get what its documentation says:
     * nothing for the common pool; for others shutdown, a wait, {@code shutdownNow()} on the first interrupt.
     */
    private static void closeBeforeJdk19(ForkJoinPool pool) {
        if (pool == ForkJoinPool.commonPool()) {
            return;
        }
        pool.shutdown();
        boolean interrupted = false;
        boolean terminated = false;
        while (!terminated) {
            try {
                terminated = pool.awaitTermination(1L, TimeUnit.DAYS);
            } catch (InterruptedException e) {
                if (!interrupted) {
                    pool.shutdownNow();
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static MethodHandle forkJoinClose() {
        try {
            return MethodHandles.publicLookup().findVirtual(ForkJoinPool.class, "close", MethodType.methodType(void.class));
        } catch (NoSuchMethodException | IllegalAccessException beforeJdk19) {
            return null;
        }
    }

    /** The wait of {@code close()}: until the executor has terminated. A wait that ends by an interrupt changes nothing. */
    static final class Termination extends BlockingCall {
        private final ExecutorService executor;

        Termination(ExecutorService executor) {
            this.executor = executor;
        }

        @Override
        Object whole() throws InterruptedException {
            while (!executor.awaitTermination(1L, TimeUnit.DAYS)) {
                // the JDK's close() waits as long as it takes, a day at a time
            }
            return null;
        }

        @Override
        Object slice(long nanos) throws InterruptedException {
            return executor.awaitTermination(nanos, TimeUnit.NANOSECONDS) ? null : SLICE_RAN_OUT;
        }
    }
}
