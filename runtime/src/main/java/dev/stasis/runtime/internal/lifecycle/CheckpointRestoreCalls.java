package dev.stasis.runtime.internal.lifecycle;

import dev.stasis.rt.crac.CheckpointRestoreCall;
import dev.stasis.rt.crac.RestoreException;
import dev.stasis.runtime.CheckpointException;
import dev.stasis.runtime.StasisRuntime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The runtime's side of {@code org.crac.Core.checkpointRestore()} (see {@link CheckpointRestoreCall}): the
 * checkpoint runs on a Stasis thread while the caller waits in its loop, where the checkpoint captures it.
 * A call is known only to this process, so a thread resumed in the loop after a relaunch finds none and
 * returns, throwing a {@code RestoreException} if resources failed in {@code afterRestore} at the relaunch.
 */
public final class CheckpointRestoreCalls implements CheckpointRestoreCall.Handler {
    /** Takes a checkpoint with the resources notified; returns what failed in their {@code afterRestore}. */
    @FunctionalInterface
    public interface Checkpointer {
        List<Throwable> checkpoint() throws CheckpointException;
    }

    /**
     * How long one wait lasts before the caller passes its loop's poll again. The checkpoint asks for the
     * caller's capture a moment after the resources were notified; the caller must reach the poll soon.
     */
    private static final long WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final Checkpointer checkpointer;
    private final Map<Thread, Call> calls = new ConcurrentHashMap<>();
    private final AtomicReference<List<Throwable>> relaunchFailures = new AtomicReference<>(List.of());

    public CheckpointRestoreCalls(Checkpointer checkpointer) {
        this.checkpointer = checkpointer;
    }

    /** What {@code afterRestore} threw at the relaunch, for the call the resumed thread returns from. */
    public void relaunched(List<Throwable> afterRestoreFailures) {
        relaunchFailures.set(List.copyOf(afterRestoreFailures));
    }

    @Override
    public void request() {
        Call call = new Call();
        calls.put(Thread.currentThread(), call);
        Thread worker = new Thread(() -> call.complete(checkpoint()), "stasis-checkpoint-restore");
        worker.setDaemon(true);
        worker.start();
    }

    @Override
    public boolean awaitDone() {
        Call call = calls.get(Thread.currentThread());
        return call == null || call.await();
    }

    @Override
    public void finish() throws dev.stasis.rt.crac.CheckpointException, RestoreException {
        Call call = calls.remove(Thread.currentThread());
        Exception outcome;
        if (call == null) {
            List<Throwable> failures = relaunchFailures.getAndSet(List.of());
            outcome = failures.isEmpty() ? null : restoreFailed(failures);
        } else {
            call.await(); // done already; this also passes on an interrupt that came while waiting
            outcome = call.outcome;
            if (call.interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (outcome instanceof dev.stasis.rt.crac.CheckpointException failed) {
            throw failed;
        }
        if (outcome instanceof RestoreException failed) {
            throw failed;
        }
    }

    private Exception checkpoint() {
        try {
            List<Throwable> failures = checkpointer.checkpoint();
            return failures.isEmpty() ? null : restoreFailed(failures);
        } catch (CheckpointException e) {
            return asCracFailure(e);
        } catch (RuntimeException | Error e) {
            dev.stasis.rt.crac.CheckpointException failed = new dev.stasis.rt.crac.CheckpointException(
                    "checkpoint failed: " + e + "; the program runs on");
            failed.addSuppressed(e);
            return failed;
        }
    }

    /**
     * {@code checkpointRestore()} for a whole-process engine: {@code runtime}'s checkpoint on the calling thread,
     * a failure thrown as {@code jdk.crac} reports it.
     */
    public static CheckpointRestoreCall.InPlace inPlace(StasisRuntime runtime) {
        return () -> {
            try {
                runtime.checkpoint();
            } catch (CheckpointException e) {
                throw asCracFailure(e);
            }
        };
    }

    /**
     * A failed checkpoint as {@code jdk.crac} reports it: what each resource threw suppressed in it, or the
     * failure itself ({@code org.crac}'s own exception keeps only the suppressed ones).
     */
    public static dev.stasis.rt.crac.CheckpointException asCracFailure(CheckpointException e) {
        dev.stasis.rt.crac.CheckpointException failed = new dev.stasis.rt.crac.CheckpointException(e.getMessage());
        if (e instanceof ResourceCheckpointException) {
            for (Throwable cause : e.getSuppressed()) {
                failed.addSuppressed(cause);
            }
        } else {
            failed.addSuppressed(e);
        }
        return failed;
    }

    private static RestoreException restoreFailed(List<Throwable> failures) {
        RestoreException failed = new RestoreException("org.crac resources failed in afterRestore: "
                + String.join("; ", failures.stream().map(Throwable::toString).toList()));
        failures.forEach(failed::addSuppressed);
        return failed;
    }

    /** One caller's checkpoint. */
    private static final class Call {
        private final CountDownLatch done = new CountDownLatch(1);
        private volatile Exception outcome;
        /** Touched by the calling thread only. */
        private boolean interrupted;

        void complete(Exception result) {
            outcome = result;
            done.countDown();
        }

        boolean await() {
            try {
                return done.await(WAIT_NANOS, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                interrupted = true; // jdk.crac's call is not interruptible either; the flag is kept for the caller
                return done.getCount() == 0;
            }
        }
    }
}
