package dev.stasis.rt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The monitor waits instrumented code calls instead of {@code Object.wait*}. */
class ObjectWaitCallsTest {
    private static final Duration PROMPTLY = Duration.ofSeconds(10);

    private final Object monitor = new Object();
    /** The program's state the monitor guards. */
    private boolean ready;

    @AfterEach
    void lowerAndResetClock() {
        Stasis.setPending(false);
        Stasis.continueClockFrom(System.nanoTime());
    }

    @Test
    void a_pending_checkpoint_cuts_the_wait_short_and_the_next_call_returns_at_once_as_a_spurious_wake_up()
            throws Exception {
        CompletableFuture<String> cut = new CompletableFuture<>();
        CompletableFuture<Void> resume = new CompletableFuture<>();
        CompletableFuture<String> after = new CompletableFuture<>();
        Thread waiter = start("waiter", () -> {
            Object[] call;
            synchronized (monitor) {
                call = ObjectWaitCalls.begin(monitor);
                cut.complete("returned " + ObjectWaitCalls.await(call));
            } // as unwinding returns from a synchronized method, the monitor is let go
            resume.get(); // the program's notification comes while the waiter is cut short
            synchronized (monitor) { // and rewinding enters it again
                long before = System.nanoTime();
                boolean second = ObjectWaitCalls.await(call);
                after.complete("second call " + second + (System.nanoTime() - before < PROMPTLY.toNanos() ? " at once"
                        : " late") + ", ready " + ready);
            }
        }, after);
        ConditionCallsTest.awaitWaiting(waiter);

        Stasis.setPending(true);

        assertThat(cut.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS)).isEqualTo("returned false");
        Stasis.setPending(false);
        synchronized (monitor) {
            ready = true;
            monitor.notifyAll(); // nobody waits: only the program's loop, after the spurious wake-up, sees it
        }
        resume.complete(null);
        assertThat(after.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS)).isEqualTo("second call true at once, ready true");
    }

    @Test
    void a_cut_short_call_returns_true_at_once_without_waiting() throws Exception {
        Stasis.setPending(true); // already pending: it waits a slice and goes back to the poll once
        synchronized (monitor) {
            Object[] call = ObjectWaitCalls.begin(monitor, 30_000);
            assertThat(ObjectWaitCalls.await(call)).isFalse();
            Stasis.setPending(false);
            long before = System.nanoTime();
            assertThat(ObjectWaitCalls.await(call)).isTrue();
            assertThat(System.nanoTime() - before).as("did not wait again").isLessThan(PROMPTLY.toNanos());
        }
    }

    @Test
    void notify_ends_the_wait_as_before() throws Exception {
        CompletableFuture<String> outcome = new CompletableFuture<>();
        Thread waiter = start("waiter", () -> {
            synchronized (monitor) {
                while (!ready) {
                    Object[] call = ObjectWaitCalls.begin(monitor);
                    while (!ObjectWaitCalls.await(call)) {
                        Thread.onSpinWait();
                    }
                }
                outcome.complete("ready, holds " + Thread.holdsLock(monitor));
            }
        }, outcome);
        ConditionCallsTest.awaitWaiting(waiter);

        synchronized (monitor) {
            ready = true;
            monitor.notify();
        }

        assertThat(outcome.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS)).isEqualTo("ready, holds true");
    }

    @Test
    void the_programs_interrupt_throws_and_clears_the_flag() throws Exception {
        CompletableFuture<String> outcome = new CompletableFuture<>();
        Thread waiter = start("waiter", () -> {
            synchronized (monitor) {
                try {
                    ObjectWaitCalls.await(ObjectWaitCalls.begin(monitor, 30_000));
                    outcome.complete("returned");
                } catch (InterruptedException e) {
                    outcome.complete("interrupted, flag " + Thread.currentThread().isInterrupted());
                }
            }
        }, outcome);
        ConditionCallsTest.awaitWaiting(waiter);

        waiter.interrupt();

        assertThat(outcome.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS)).isEqualTo("interrupted, flag false");
    }

    @Test
    void a_timed_wait_keeps_its_deadline_on_the_offset_clock() throws Exception {
        synchronized (monitor) {
            Object[] call = ObjectWaitCalls.begin(monitor, 30_000, 5);
            Stasis.setPending(true);
            assertThat(ObjectWaitCalls.await(call)).isFalse();
            Stasis.setPending(false);
            assertThat(ObjectWaitCalls.await(call)).isTrue();
            // A relaunch 20 ms before the end of a new 30 s wait: it waits those 20 ms, not 30 s.
            Object[] resumed = ObjectWaitCalls.begin(monitor, 30_000);
            long now = Stasis.nanoTime();
            Stasis.continueClockFrom(now + TimeUnit.SECONDS.toNanos(30) - TimeUnit.MILLISECONDS.toNanos(20));
            long before = System.nanoTime();
            assertThat(ObjectWaitCalls.await(resumed)).isTrue();
            assertThat(System.nanoTime() - before).isBetween(TimeUnit.MILLISECONDS.toNanos(19), PROMPTLY.toNanos());
        }
    }

    @Test
    void rejects_what_object_wait_rejects() {
        assertThatThrownBy(() -> ObjectWaitCalls.begin(monitor, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ObjectWaitCalls.begin(monitor, 1, 1_000_000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ObjectWaitCalls.begin(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ObjectWaitCalls.await(ObjectWaitCalls.begin(monitor)))
                .as("not the monitor's owner").isInstanceOf(IllegalMonitorStateException.class);
        Stasis.setPending(true);
        assertThat(Thread.currentThread().isInterrupted()).as("no wake-up stayed registered to interrupt it").isFalse();
    }

    interface Body {
        void run() throws Exception;
    }

    private static Thread start(String name, Body body, CompletableFuture<?> failed) {
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failed.completeExceptionally(e);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
