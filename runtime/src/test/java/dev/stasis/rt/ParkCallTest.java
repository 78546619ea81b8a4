package dev.stasis.rt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code LockSupport.park*} as instrumented code calls them: a pending checkpoint makes them return (a legal
 * spurious return, so the caller's loop reaches its poll); the program's unparks are neither lost nor needed.
 * Also the sleep lengths of {@code TimeUnit.sleep} and {@code Thread.sleep(Duration)}.
 */
class ParkCallTest {
    private static final Duration PROMPTLY = Duration.ofSeconds(10);
    private static final Object BLOCKER = new Object();

    @AfterEach
    void lower() {
        Stasis.setPending(false);
    }

    @Test
    void a_parked_thread_returns_as_soon_as_a_checkpoint_becomes_pending_its_blocker_shown_while_parked() throws Exception {
        for (Runnable park : new Runnable[] {ParkThenReturn.PARK, ParkThenReturn.PARK_NANOS, ParkThenReturn.PARK_UNTIL}) {
            CompletableFuture<Void> returned = new CompletableFuture<>();
            Thread parked = new Thread(() -> {
                park.run();
                returned.complete(null);
            }, "parked");
            parked.start();
            awaitParkedOn(parked);

            Stasis.setPending(true);

            returned.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS);
            Stasis.setPending(false);
        }
    }

    @Test
    void the_programs_unpark_still_wakes_it_and_a_permit_given_before_is_used() throws Exception {
        CompletableFuture<Void> returned = new CompletableFuture<>();
        Thread parked = new Thread(() -> {
            ParkCall.park(BLOCKER);
            returned.complete(null);
        }, "parked");
        parked.start();
        awaitParkedOn(parked);
        LockSupport.unpark(parked);
        returned.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS);

        assertTimeoutPreemptively(PROMPTLY, () -> {
            LockSupport.unpark(Thread.currentThread());
            ParkCall.park(); // returns at once: the permit
        });
    }

    @Test
    void while_a_checkpoint_stays_pending_each_park_returns_after_a_slice() {
        Stasis.setPending(true);
        long start = System.nanoTime();

        ParkCall.park(BLOCKER);
        ParkCall.parkNanos(TimeUnit.SECONDS.toNanos(30));
        ParkCall.parkUntil(BLOCKER, System.currentTimeMillis() + 30_000);

        assertThat(System.nanoTime() - start).isLessThan(PROMPTLY.toNanos());
    }

    @Test
    void sleep_lengths_of_TimeUnit_sleep_and_Thread_sleep_Duration() {
        assertThat(SleepCall.sleepNanos(TimeUnit.MILLISECONDS, 3)).isEqualTo(3_000_000);
        assertThat(SleepCall.sleepNanos(TimeUnit.NANOSECONDS, 1)).isEqualTo(1);
        assertThat(SleepCall.sleepNanos(TimeUnit.DAYS, Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(SleepCall.sleepNanos(TimeUnit.SECONDS, 0)).as("returns at once, interrupt or not").isEqualTo(-1);
        assertThat(SleepCall.sleepNanos(TimeUnit.SECONDS, -5)).isEqualTo(-1);
        assertThat(SleepCall.sleepNanos(Duration.ofMillis(2))).isEqualTo(2_000_000);
        assertThat(SleepCall.sleepNanos(Duration.ZERO)).as("sleeps zero: the interrupt is checked").isZero();
        assertThat(SleepCall.sleepNanos(Duration.ofMillis(-1))).isEqualTo(-1);
        assertThatThrownBy(() -> SleepCall.sleepNanos(null, 0)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> SleepCall.sleepNanos((Duration) null)).isInstanceOf(NullPointerException.class);
    }

    /** The park calls, each long enough that only a wake-up ends it within the test. */
    private enum ParkThenReturn implements Runnable {
        PARK {
            @Override
            public void run() {
                ParkCall.park(BLOCKER);
            }
        },
        PARK_NANOS {
            @Override
            public void run() {
                ParkCall.parkNanos(BLOCKER, TimeUnit.SECONDS.toNanos(60));
            }
        },
        PARK_UNTIL {
            @Override
            public void run() {
                ParkCall.parkUntil(BLOCKER, System.currentTimeMillis() + 60_000);
            }
        }
    }

    private static void awaitParkedOn(Thread thread) {
        long giveUp = System.nanoTime() + PROMPTLY.toNanos();
        while (LockSupport.getBlocker(thread) != BLOCKER) {
            assertThat(System.nanoTime() - giveUp).as("thread %s parked", thread.getName()).isNegative();
            Thread.onSpinWait();
        }
    }
}
