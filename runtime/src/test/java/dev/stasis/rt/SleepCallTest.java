package dev.stasis.rt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sleep instrumented code calls instead of {@code Thread.sleep}, and the offset clock it sleeps on. */
class SleepCallTest {
    private static final long LONG_SLEEP = TimeUnit.SECONDS.toNanos(30);
    /** How long a test waits for a thread that must return at once; far shorter than {@link #LONG_SLEEP}. */
    private static final Duration PROMPTLY = Duration.ofSeconds(10);

    @AfterEach
    void lowerAndResetClock() {
        Stasis.setPending(false);
        Stasis.continueClockFrom(System.nanoTime());
    }

    @Test
    void the_clock_continues_from_a_recorded_reading_and_stays_monotonic() {
        long recorded = System.nanoTime() + TimeUnit.DAYS.toNanos(3);

        Stasis.continueClockFrom(recorded);
        long first = Stasis.nanoTime();
        long second = Stasis.nanoTime();

        assertThat(first - recorded).as("nanos since the recorded reading").isNotNegative()
                .isLessThan(PROMPTLY.toNanos());
        assertThat(second - first).isNotNegative();
    }

    @Test
    void a_deadline_is_on_the_offset_clock_and_sleepUntil_returns_true_once_it_passed() throws Exception {
        Stasis.continueClockFrom(System.nanoTime() - TimeUnit.DAYS.toNanos(3));
        long before = Stasis.nanoTime();
        long deadline = SleepCall.deadline(20);

        assertThat(deadline - before).isBetween(TimeUnit.MILLISECONDS.toNanos(20), TimeUnit.MILLISECONDS.toNanos(20) + PROMPTLY.toNanos());
        assertThat(SleepCall.sleepUntil(deadline)).isTrue();
        assertThat(Stasis.nanoTime() - deadline).isNotNegative();
        assertThat(SleepCall.deadline(1, 500) - Stasis.nanoTime()).isLessThanOrEqualTo(1_000_500);
    }

    @Test
    void rejects_what_Thread_sleep_rejects() {
        assertThatThrownBy(() -> SleepCall.deadline(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("timeout value is negative");
        assertThatThrownBy(() -> SleepCall.deadline(-1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("timeout value is negative");
        assertThatThrownBy(() -> SleepCall.deadline(1, 1_000_000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nanosecond timeout value out of range");
        assertThatThrownBy(() -> SleepCall.deadline(1, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nanosecond timeout value out of range");
    }

    @Test
    void a_huge_sleep_does_not_overflow_into_the_past() throws Exception {
        long deadline = SleepCall.deadline(Long.MAX_VALUE, 999_999);

        assertThat(deadline - Stasis.nanoTime()).isGreaterThan(TimeUnit.DAYS.toNanos(365));
    }

    @Test
    void a_sleeper_returns_false_as_soon_as_a_checkpoint_becomes_pending() throws Exception {
        long deadline = Stasis.nanoTime() + LONG_SLEEP;
        CompletableFuture<Boolean> slept = new CompletableFuture<>();
        Thread sleeper = new Thread(() -> {
            try {
                slept.complete(SleepCall.sleepUntil(deadline));
            } catch (Throwable e) {
                slept.completeExceptionally(e);
            }
        }, "sleeper");
        sleeper.start();
        awaitParked(sleeper);

        Stasis.setPending(true);

        assertThat(slept.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS)).as("woken early, to poll").isFalse();
        assertThat(deadline - Stasis.nanoTime()).as("well before its deadline").isPositive();
    }

    @Test
    void while_a_checkpoint_stays_pending_for_another_thread_each_call_waits_a_slice_then_returns_to_poll()
            throws Exception {
        Stasis.setPending(true);
        long deadline = Stasis.nanoTime() + LONG_SLEEP;

        assertThat(SleepCall.sleepUntil(deadline)).isFalse();
        assertThat(SleepCall.sleepUntil(Stasis.nanoTime())).as("a passed deadline ends the sleep even now").isTrue();
    }

    @Test
    void an_interrupt_while_sleeping_throws_and_clears_the_flag() throws Exception {
        long deadline = Stasis.nanoTime() + LONG_SLEEP;
        CompletableFuture<String> outcome = new CompletableFuture<>();
        Thread sleeper = new Thread(() -> {
            try {
                outcome.complete("returned " + SleepCall.sleepUntil(deadline));
            } catch (InterruptedException e) {
                outcome.complete("interrupted, flag " + Thread.currentThread().isInterrupted());
            }
        }, "sleeper");
        sleeper.start();
        awaitParked(sleeper);

        sleeper.interrupt();

        assertThat(outcome.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS)).isEqualTo("interrupted, flag false");
    }

    @Test
    void an_interrupt_before_the_sleep_throws_at_once_even_for_a_passed_deadline() {
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> SleepCall.sleepUntil(Stasis.nanoTime() - 1))
                    .isInstanceOf(InterruptedException.class);
            assertThat(Thread.currentThread().isInterrupted()).as("the flag is cleared").isFalse();
        } finally {
            Thread.interrupted();
        }
    }

    /** Waits (a condition, not a fixed time) until the thread is parked in its sleep. */
    private static void awaitParked(Thread thread) {
        long giveUp = System.nanoTime() + PROMPTLY.toNanos();
        while (thread.getState() != Thread.State.TIMED_WAITING || LockSupport.getBlocker(thread) != SleepCall.class) {
            assertThat(System.nanoTime() - giveUp).as("thread %s parked in the sleep", thread.getName()).isNegative();
            Thread.onSpinWait();
        }
    }
}
