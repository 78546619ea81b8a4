package dev.stasis.rt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The barrier wait instrumented code calls instead of {@code CyclicBarrier.await*}: arrival, then a wait
 * for the generation to trip that a pending checkpoint cuts short without breaking the barrier.
 */
class BarrierCallsTest {
    private static final Duration PROMPTLY = Duration.ofSeconds(10);

    @AfterEach
    void lower() {
        Stasis.setPending(false);
        Stasis.continueClockFrom(System.nanoTime());
    }

    /** A party as instrumented code runs it: what each call returned, then the arrival index. */
    private static CompletableFuture<String> party(CyclicBarrier barrier, String name, CompletableFuture<Void> cutShort,
            boolean timed) {
        CompletableFuture<String> outcome = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                Object[] call = timed ? BarrierCalls.begin(barrier, 30, TimeUnit.SECONDS) : BarrierCalls.begin(barrier);
                StringBuilder calls = new StringBuilder();
                boolean done;
                do {
                    done = BarrierCalls.await(call);
                    calls.append(done ? "T" : "F");
                    if (!done) {
                        cutShort.complete(null);
                    }
                } while (!done);
                outcome.complete(calls + " index " + BarrierCalls.index(call));
            } catch (Throwable e) {
                outcome.complete(e.getClass().getSimpleName());
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return outcome;
    }

    @Test
    void parties_cut_short_by_a_checkpoint_leave_the_barrier_whole_and_trip_with_the_last_arrival() throws Exception {
        AtomicInteger commands = new AtomicInteger();
        CyclicBarrier barrier = new CyclicBarrier(3, commands::incrementAndGet);
        CompletableFuture<Void> firstCut = new CompletableFuture<>();
        CompletableFuture<Void> secondCut = new CompletableFuture<>();
        CompletableFuture<String> first = party(barrier, "first", firstCut, false);
        CompletableFuture<String> second = party(barrier, "second", secondCut, true);
        awaitArrivals(barrier, 2);

        Stasis.setPending(true);
        firstCut.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS);
        secondCut.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS);

        assertThat(barrier.isBroken()).as("a cut-short wait breaks nothing").isFalse();
        assertThat(barrier.getNumberWaiting()).as("both still count as arrived").isEqualTo(2);
        Stasis.setPending(false);
        int last = barrier.await(PROMPTLY.toSeconds(), TimeUnit.SECONDS);

        assertThat(last).isZero();
        assertThat(List.of(first.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS), second.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS)))
                .allMatch(outcome -> outcome.matches("F+T index [12]"))
                .extracting(outcome -> outcome.substring(outcome.length() - 1)).containsExactlyInAnyOrder("1", "2");
        assertThat(commands).as("the barrier action ran once").hasValue(1);
    }

    @Test
    void the_last_arrival_trips_at_once_and_the_barrier_is_reusable() throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(2);
        CompletableFuture<String> other = party(barrier, "other", new CompletableFuture<>(), false);
        awaitArrivals(barrier, 1);

        Object[] call = BarrierCalls.begin(barrier);

        assertThat(BarrierCalls.await(call)).isTrue();
        assertThat(BarrierCalls.index(call)).isZero();
        assertThat(other.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS)).isEqualTo("T index 1");
        assertThat(barrier.getNumberWaiting()).isZero();
        assertThat(barrier.isBroken()).isFalse();
    }

    @Test
    void the_programs_interrupt_breaks_the_barrier_as_the_original_does() throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(3);
        CompletableFuture<String> other = party(barrier, "other", new CompletableFuture<>(), false);
        awaitArrivals(barrier, 1);
        CompletableFuture<String> interrupted = new CompletableFuture<>();
        Thread waiter = new Thread(() -> {
            try {
                Object[] call = BarrierCalls.begin(barrier);
                while (!BarrierCalls.await(call)) {
                    Thread.onSpinWait();
                }
                interrupted.complete("returned");
            } catch (Throwable e) {
                interrupted.complete(e.getClass().getSimpleName());
            }
        }, "interrupted");
        waiter.setDaemon(true);
        waiter.start();
        awaitArrivals(barrier, 2);
        ConditionCallsTest.awaitWaiting(waiter);

        waiter.interrupt();

        assertThat(interrupted.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS)).isEqualTo("InterruptedException");
        assertThat(other.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS)).isEqualTo("BrokenBarrierException");
        assertThat(barrier.isBroken()).isTrue();
        assertThatThrownBy(() -> BarrierCalls.begin(barrier)).isInstanceOf(BrokenBarrierException.class);
    }

    @Test
    void a_timeout_breaks_the_barrier_and_throws_as_the_original_does() throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(2);
        Object[] call = BarrierCalls.begin(barrier, 20, TimeUnit.MILLISECONDS);

        assertThatThrownBy(() -> {
            while (!BarrierCalls.await(call)) {
                Thread.onSpinWait();
            }
        }).isInstanceOf(TimeoutException.class);
        assertThat(barrier.isBroken()).isTrue();
    }

    @Test
    void a_wait_resumed_on_a_later_clock_times_out_at_its_deadline() throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(2);
        Object[] call = BarrierCalls.begin(barrier, 30, TimeUnit.SECONDS);
        Stasis.setPending(true);
        assertThat(BarrierCalls.await(call)).isFalse();
        Stasis.setPending(false);

        Stasis.continueClockFrom(Stasis.nanoTime() + TimeUnit.SECONDS.toNanos(30));

        long before = System.nanoTime();
        assertThatThrownBy(() -> BarrierCalls.await(call)).isInstanceOf(TimeoutException.class);
        assertThat(System.nanoTime() - before).isLessThan(PROMPTLY.toNanos());
    }

    private static void awaitArrivals(CyclicBarrier barrier, int parties) throws InterruptedException, ExecutionException {
        long giveUp = System.nanoTime() + PROMPTLY.toNanos();
        while (barrier.getNumberWaiting() < parties) {
            assertThat(System.nanoTime() - giveUp).as("%d parties arrived", parties).isNegative();
            Thread.sleep(1);
        }
    }
}
