package dev.stasis.runtime.internal.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.rt.Stasis;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The waits and checks the coordinator tests share around a {@link ProtocolProgram} thread. */
final class ProgramWaits {
    private ProgramWaits() {
    }

    /**
     * Until the checkpoint is requested (or {@code done} completes, if given): not until this thread sees {@link
     * Stasis#isPending()}, which can turn true here while the program's compiled polls still read false, so the
     * program would run past them.
     */
    static void awaitRequested(PortableEngine engine, CompletableFuture<?> done) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!engine.isRequested() && (done == null || !done.isDone()) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }

    /** After a failed checkpoint: nothing is pending, the program makes progress, and it stops when told. */
    static void assertRunsOnAndStops(Thread program) throws InterruptedException {
        assertThat(Stasis.isPending()).isFalse();
        long before = ProtocolProgram.rounds;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ProtocolProgram.rounds == before && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(ProtocolProgram.rounds).as("rounds after the failed checkpoint").isGreaterThan(before);
        ProtocolProgram.stop = true;
        program.join(10_000);
        assertThat(program.isAlive()).isFalse();
    }

    static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
