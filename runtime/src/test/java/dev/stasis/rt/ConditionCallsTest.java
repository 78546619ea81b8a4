package dev.stasis.rt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Date;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The condition waits instrumented code calls instead of {@code Condition.await*}: cut short by a pending
 * checkpoint with the lock let go, taken again by the next call, which returns as a spurious wake-up.
 */
class ConditionCallsTest {
    private static final Duration PROMPTLY = Duration.ofSeconds(10);
    private static final long LONG_WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** The program's state the condition guards. */
    private volatile boolean ready;

    @AfterEach
    void lowerAndResetClock() {
        Stasis.setPending(false);
        Stasis.continueClockFrom(System.nanoTime());
    }

    /** What the waiting thread saw after each call. */
    record Seen(boolean returned, boolean holdsLock, boolean lockedByAnyone, int holds) {
    }

    private Seen seen(boolean returned) {
        return new Seen(returned, lock.isHeldByCurrentThread(), lock.isLocked(), lock.getHoldCount());
    }

    @Test
    void a_pending_checkpoint_cuts_the_wait_short_with_the_lock_let_go_and_a_signal_sent_meanwhile_is_not_lost()
            throws Exception {
        CompletableFuture<Seen> cut = new CompletableFuture<>();
        CompletableFuture<Void> resume = new CompletableFuture<>();
        CompletableFuture<String> after = new CompletableFuture<>();
        Thread waiter = start("waiter", () -> {
            lock.lock();
            lock.lock(); // held twice: both holds are let go and taken back
            try {
                Object[] call = ConditionCalls.begin(changed);
                cut.complete(seen(ConditionCalls.await(call)));
                resume.get();
                Seen second = seen(ConditionCalls.await(call));
                after.complete(second + " ready=" + ready);
            } finally {
                lock.unlock();
                lock.unlock();
            }
            return null;
        }, after);
        awaitWaiting(waiter);

        Stasis.setPending(true);

        assertThat(cut.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS)).as("returned to poll, holding nothing")
                .isEqualTo(new Seen(false, false, false, 0));
        Stasis.setPending(false);
        assertThat(lock.tryLock()).as("another thread can take the lock while the waiter is cut short").isTrue();
        ready = true;
        changed.signalAll(); // nobody waits on the condition now: only the program's loop can see it
        lock.unlock();
        resume.complete(null);
        assertThat(after.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS))
                .isEqualTo(new Seen(true, true, true, 2) + " ready=true");
    }

    @Test
    void a_signal_ends_the_wait_as_before() throws Exception {
        CompletableFuture<String> outcome = new CompletableFuture<>();
        Thread waiter = start("waiter", () -> {
            lock.lock();
            try {
                while (!ready) {
                    Object[] call = ConditionCalls.begin(changed);
                    while (!ConditionCalls.await(call)) {
                        Thread.onSpinWait();
                    }
                }
                outcome.complete("ready, holds " + lock.getHoldCount());
            } finally {
                lock.unlock();
            }
            return null;
        }, outcome);
        awaitWaiting(waiter);

        lock.lock();
        ready = true;
        changed.signal();
        lock.unlock();

        assertThat(outcome.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS)).isEqualTo("ready, holds 1");
    }

    @Test
    void the_programs_interrupt_throws_with_the_lock_held_and_is_not_taken_for_a_checkpoint() throws Exception {
        CompletableFuture<String> outcome = new CompletableFuture<>();
        Thread waiter = start("waiter", () -> {
            lock.lock();
            try {
                ConditionCalls.await(ConditionCalls.begin(changed));
                outcome.complete("returned");
            } catch (InterruptedException e) {
                outcome.complete("interrupted, holds " + lock.getHoldCount() + ", flag "
                        + Thread.currentThread().isInterrupted());
            } finally {
                lock.unlock();
            }
            return null;
        }, outcome);
        awaitWaiting(waiter);

        waiter.interrupt();

        assertThat(outcome.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS)).isEqualTo("interrupted, holds 1, flag false");
    }

    @Test
    void an_interrupt_the_program_sent_while_the_wait_was_cut_short_stays_for_its_next_wait() throws Exception {
        lock.lock();
        try {
            Stasis.setPending(true); // already pending: the call waits a slice, then lets go for the poll
            Object[] call = ConditionCalls.begin(changed);
            assertThat(seen(ConditionCalls.await(call))).isEqualTo(new Seen(false, false, false, 0));
            Thread.currentThread().interrupt();
            assertThat(seen(ConditionCalls.await(call))).as("taken back, a spurious wake-up").isEqualTo(new Seen(true, true, true, 1));
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
            Stasis.setPending(false);
            Object[] next = ConditionCalls.begin(changed);
            boolean threw = false;
            try {
                ConditionCalls.await(next);
            } catch (InterruptedException e) {
                threw = true;
            }
            assertThat(threw).as("the next await throws, as the original").isTrue();
        } finally {
            Thread.interrupted();
            lock.unlock();
        }
    }

    @Test
    void await_uninterruptibly_keeps_the_programs_interrupt_for_after_the_wait() throws Exception {
        CompletableFuture<String> outcome = new CompletableFuture<>();
        Thread waiter = start("waiter", () -> {
            lock.lock();
            try {
                while (!ready) {
                    Object[] call = ConditionCalls.beginUninterruptibly(changed);
                    while (!ConditionCalls.await(call)) {
                        Thread.onSpinWait();
                    }
                }
                outcome.complete("ready, flag " + Thread.currentThread().isInterrupted());
            } finally {
                lock.unlock();
            }
            return null;
        }, outcome);
        awaitWaiting(waiter);
        waiter.interrupt();
        awaitWaiting(waiter); // still waiting: the interrupt did not end it

        lock.lock();
        ready = true;
        changed.signal();
        lock.unlock();

        assertThat(outcome.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS)).isEqualTo("ready, flag true");
    }

    @Test
    void a_timed_wait_cut_short_and_resumed_on_a_later_clock_waits_only_what_was_left() throws Exception {
        lock.lock();
        try {
            Object[] call = ConditionCalls.beginNanos(changed, LONG_WAIT_NANOS);
            long deadline = (Long) call[ConditionCalls.DEADLINE];
            Stasis.setPending(true);
            assertThat(ConditionCalls.await(call)).isFalse();
            assertThat(lock.isLocked()).isFalse();
            Stasis.setPending(false);
            // A relaunch whose clock goes on 40 ms before the deadline.
            Stasis.continueClockFrom(deadline - TimeUnit.MILLISECONDS.toNanos(40));
            assertThat(ConditionCalls.await(call)).isTrue();
            long remaining = ConditionCalls.remainingNanos(call);
            assertThat(remaining).as("a spurious wake-up with what was left").isPositive()
                    .isLessThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(40));

            Object[] rest = ConditionCalls.beginNanos(changed, remaining);
            assertThat(ConditionCalls.await(rest)).isTrue();
            assertThat(ConditionCalls.remainingNanos(rest)).as("timed out").isNotPositive();
            assertThat(Stasis.nanoTime() - deadline).as("not before the deadline").isNotNegative();
            assertThat(lock.getHoldCount()).isEqualTo(1);
        } finally {
            lock.unlock();
        }
    }

    @Test
    void await_with_a_unit_and_await_until_report_a_timeout_as_false_and_a_signal_as_true() throws Exception {
        lock.lock();
        try {
            Object[] timed = ConditionCalls.begin(changed, 20, TimeUnit.MILLISECONDS);
            assertThat(ConditionCalls.await(timed)).isTrue();
            assertThat(ConditionCalls.inTime(timed)).isFalse();
            Object[] until = ConditionCalls.beginUntil(changed, new Date(System.currentTimeMillis() + 20));
            assertThat(ConditionCalls.await(until)).isTrue();
            assertThat(ConditionCalls.inTime(until)).isFalse();
        } finally {
            lock.unlock();
        }
        CompletableFuture<Boolean> inTime = new CompletableFuture<>();
        Thread waiter = start("waiter", () -> {
            lock.lock();
            try {
                Object[] call = ConditionCalls.beginUntil(changed, new Date(System.currentTimeMillis() + 30_000));
                while (!ConditionCalls.await(call)) {
                    Thread.onSpinWait();
                }
                inTime.complete(ConditionCalls.inTime(call));
            } finally {
                lock.unlock();
            }
            return null;
        }, inTime);
        awaitWaiting(waiter);
        lock.lock();
        changed.signal();
        lock.unlock();
        assertThat(inTime.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void a_write_lock_condition_lets_go_of_the_write_lock_but_a_writer_holding_read_locks_keeps_it() throws Exception {
        ReentrantReadWriteLock readWrite = new ReentrantReadWriteLock();
        Condition written = readWrite.writeLock().newCondition();
        readWrite.writeLock().lock();
        Stasis.setPending(true);
        try {
            Object[] call = ConditionCalls.begin(written);
            assertThat(ConditionCalls.await(call)).isFalse();
            assertThat(readWrite.isWriteLocked()).isFalse();
            assertThat(ConditionCalls.await(call)).isTrue();
            assertThat(readWrite.getWriteHoldCount()).isEqualTo(1);

            readWrite.readLock().lock(); // read holds are per thread: they could not be given back after a relaunch
            try {
                Object[] held = ConditionCalls.begin(written);
                assertThat(ConditionCalls.await(held)).as("ends spuriously instead of letting go").isTrue();
                assertThat(readWrite.getWriteHoldCount()).isEqualTo(1);
                assertThat(readWrite.getReadHoldCount()).isEqualTo(1);
            } finally {
                readWrite.readLock().unlock();
            }
        } finally {
            readWrite.writeLock().unlock();
        }
    }

    /** A task that may throw; its failure completes {@code failed} so the test sees it. */
    interface Body {
        Void run() throws Exception;
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

    /** Until the thread parks in its wait (for a condition, in {@code WAITING} or {@code TIMED_WAITING}). */
    static void awaitWaiting(Thread thread) throws InterruptedException {
        long giveUp = System.nanoTime() + PROMPTLY.toNanos();
        Thread.State state;
        while ((state = thread.getState()) != Thread.State.WAITING && state != Thread.State.TIMED_WAITING) {
            assertThat(System.nanoTime() - giveUp).as("thread %s waiting", thread.getName()).isNegative();
            Thread.sleep(1);
        }
    }
}
