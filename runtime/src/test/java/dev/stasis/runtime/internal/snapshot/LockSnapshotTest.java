package dev.stasis.runtime.internal.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JDK's locks in the heap: written unlocked with their fairness, read back as working fresh locks. */
class LockSnapshotTest {
    @TempDir
    Path dir;

    /** A program's object holding a lock, a view of it and a condition of it, as fields. */
    static final class Guarded {
        ReentrantLock lock;
        Condition ready;
        Condition done;
        int value;
    }

    @Test
    void a_reentrant_lock_comes_back_unlocked_with_its_fairness_and_its_conditions_tied_to_it() throws Exception {
        ReentrantLock fair = new ReentrantLock(true);
        Guarded guarded = new Guarded();
        guarded.lock = new ReentrantLock();
        guarded.ready = guarded.lock.newCondition();
        guarded.done = guarded.lock.newCondition();
        guarded.value = 7;

        Object[] back = Snapshots.roundTrip(dir, fair, guarded, guarded.ready);

        ReentrantLock fairBack = (ReentrantLock) back[0];
        Guarded guardedBack = (Guarded) back[1];
        assertThat(fairBack.isFair()).isTrue();
        assertThat(fairBack.isLocked()).isFalse();
        assertThat(guardedBack.lock.isFair()).isFalse();
        assertThat(guardedBack.value).isEqualTo(7);
        assertThat(back[2]).as("one condition object, wherever it is referenced").isSameAs(guardedBack.ready);
        assertThat(guardedBack.done).isNotSameAs(guardedBack.ready);
        guardedBack.lock.lock();
        try {
            assertThat(guardedBack.lock.hasWaiters(guardedBack.ready)).as("the condition belongs to the restored lock")
                    .isFalse();
            assertThat(guardedBack.lock.getWaitQueueLength(guardedBack.done)).isZero();
        } finally {
            guardedBack.lock.unlock();
        }
        assertThatThrownBy(() -> guardedBack.ready.signal()).as("signalling needs the restored lock held")
                .isInstanceOf(IllegalMonitorStateException.class);
    }

    @Test
    void a_restored_condition_wakes_a_waiter_of_the_restored_lock() throws Exception {
        Guarded guarded = new Guarded();
        guarded.lock = new ReentrantLock();
        guarded.ready = guarded.lock.newCondition();
        Guarded back = Snapshots.roundTripOne(dir, guarded);
        CountDownLatch waiting = new CountDownLatch(1);
        CompletableFuture<Integer> seen = CompletableFuture.supplyAsync(() -> {
            back.lock.lock();
            try {
                waiting.countDown();
                while (back.value == 0) {
                    back.ready.awaitUninterruptibly();
                }
                return back.value;
            } finally {
                back.lock.unlock();
            }
        });
        waiting.await();

        back.lock.lock();
        try {
            back.value = 3;
            back.ready.signalAll();
        } finally {
            back.lock.unlock();
        }

        assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo(3);
    }

    @Test
    void a_condition_comes_back_without_the_waiters_no_capture_took_along() throws Exception {
        Guarded guarded = new Guarded();
        guarded.lock = new ReentrantLock();
        guarded.ready = guarded.lock.newCondition();
        Thread waiter = new Thread(() -> {
            guarded.lock.lock();
            try {
                guarded.ready.awaitUninterruptibly();
            } finally {
                guarded.lock.unlock();
            }
        }, "uncaptured");
        waiter.setDaemon(true);
        waiter.start();
        while (!hasWaiters(guarded)) {
            Thread.onSpinWait();
        }

        Guarded back = Snapshots.roundTripOne(dir, guarded);

        back.lock.lock();
        try {
            assertThat(back.lock.hasWaiters(back.ready)).isFalse();
        } finally {
            back.lock.unlock();
        }
        assertThat(hasWaiters(guarded)).as("the program's own condition keeps its waiter").isTrue();
        guarded.lock.lock();
        guarded.ready.signal();
        guarded.lock.unlock();
        waiter.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(waiter.isAlive()).isFalse();
    }

    private static boolean hasWaiters(Guarded guarded) {
        guarded.lock.lock();
        try {
            return guarded.lock.hasWaiters(guarded.ready);
        } finally {
            guarded.lock.unlock();
        }
    }

    @Test
    void a_read_write_lock_keeps_its_fairness_and_its_views_and_write_conditions_resolve_to_it() throws Exception {
        ReentrantReadWriteLock lock = new ReentrantReadWriteLock(true);
        Condition written = lock.writeLock().newCondition();

        Object[] back = Snapshots.roundTrip(dir, lock.readLock(), lock, written, lock.writeLock());

        ReentrantReadWriteLock lockBack = (ReentrantReadWriteLock) back[1];
        assertThat(lockBack.isFair()).isTrue();
        assertThat(back[0]).isSameAs(lockBack.readLock());
        assertThat(back[3]).isSameAs(lockBack.writeLock());
        assertThat(lockBack.isWriteLocked()).isFalse();
        assertThat(lockBack.getReadLockCount()).isZero();
        lockBack.writeLock().lock();
        try {
            assertThat(lockBack.hasWaiters((Condition) back[2])).isFalse();
            assertThat(lockBack.isWriteLockedByCurrentThread()).isTrue();
        } finally {
            lockBack.writeLock().unlock();
        }
    }

    @Test
    void a_stamped_lock_comes_back_unlocked_with_its_version_and_views() throws Exception {
        StampedLock lock = new StampedLock();
        long before = lock.tryOptimisticRead();
        lock.unlockWrite(lock.writeLock()); // a write after the stamp: it must stay invalid after a resume
        long after = lock.tryOptimisticRead();
        Lock readView = lock.asReadLock();

        Object[] back = Snapshots.roundTrip(dir, lock, readView, lock.asWriteLock(), lock.asReadWriteLock());

        StampedLock lockBack = (StampedLock) back[0];
        assertThat(lockBack.isWriteLocked() || lockBack.isReadLocked()).isFalse();
        assertThat(lockBack.validate(before)).as("a stamp from before the write").isFalse();
        assertThat(lockBack.validate(after)).as("a stamp from after it").isTrue();
        assertThat(back[1]).isSameAs(lockBack.asReadLock());
        assertThat(back[2]).isSameAs(lockBack.asWriteLock());
        assertThat(back[3]).isSameAs(lockBack.asReadWriteLock());
        long stamp = lockBack.writeLock();
        assertThat(lockBack.validate(after)).isFalse();
        lockBack.unlockWrite(stamp);
    }

    @Test
    void a_cyclic_barrier_keeps_its_arrivals_and_trips_with_the_rest_after_a_resume() throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(2);

        CyclicBarrier back = Snapshots.roundTripOne(dir, barrier);

        CompletableFuture<Integer> other = CompletableFuture.supplyAsync(() -> {
            try {
                return back.await(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(back.await(10, TimeUnit.SECONDS) + other.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(back.isBroken()).isFalse();
    }

    @Test
    void a_held_reentrant_lock_is_refused_naming_the_path_and_the_thread_holding_it() {
        Guarded guarded = new Guarded();
        guarded.lock = new ReentrantLock();
        guarded.lock.lock();
        try {
            assertThatThrownBy(() -> write(staticHolding("a.B", "state", guarded)))
                    .isInstanceOf(UncapturableObjectException.class)
                    .hasMessageStartingWith("cannot snapshot java.util.concurrent.locks.ReentrantLock$NonfairSync at static"
                            + " a.B.state -> " + Guarded.class.getName() + ".lock -> java.util.concurrent.locks.ReentrantLock.sync"
                            + " (the ReentrantLock is held by thread \"" + Thread.currentThread().getName() + "\" at the checkpoint");
        } finally {
            guarded.lock.unlock();
        }
    }

    @Test
    void a_read_locked_read_write_lock_and_a_locked_stamped_lock_are_refused() throws Exception {
        ReentrantReadWriteLock readWrite = new ReentrantReadWriteLock();
        readWrite.readLock().lock();
        try {
            assertThatThrownBy(() -> write(staticHolding("a.B", "rw", readWrite)))
                    .hasMessageContaining("the ReentrantReadWriteLock is held (read-locked) at the checkpoint");
        } finally {
            readWrite.readLock().unlock();
        }
        StampedLock stamped = new StampedLock();
        long stamp = stamped.writeLock();
        try {
            assertThatThrownBy(() -> write(staticHolding("a.B", "stamped", stamped)))
                    .hasMessageStartingWith("cannot snapshot java.util.concurrent.locks.StampedLock at static a.B.stamped"
                            + " (the StampedLock is write-locked at the checkpoint");
        } finally {
            stamped.unlockWrite(stamp);
        }
    }

    @Test
    void a_lock_is_refused_naming_the_thread_holding_it_even_one_that_ended() throws Exception {
        ReentrantLock lock = new ReentrantLock();
        lock.lock();
        Thread queued = new Thread(lock::lock, "queued");
        queued.setDaemon(true);
        queued.start();
        try {
            while (!lock.hasQueuedThread(queued)) {
                Thread.onSpinWait();
            }
            assertThatThrownBy(() -> write(staticHolding("a.B", "lock", lock)))
                    .hasMessageContaining("held by thread \"" + Thread.currentThread().getName() + "\"");
        } finally {
            lock.unlock();
        }
        queued.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(lock.isLocked()).as("the queued thread took it and ended holding it").isTrue();
        assertThatThrownBy(() -> write(staticHolding("a.B", "lock", lock)))
                .hasMessageContaining("held by thread \"queued\"");
    }

    private void write(SnapshotContent content) throws IOException {
        try (OutputStream out = Files.newOutputStream(dir.resolve("s.stasis"))) {
            SnapshotCodec.write(out, Snapshots.manifest(), content);
        }
    }

    private static SnapshotContent staticHolding(String className, String field, Object value) {
        return new SnapshotContent(List.of(new ClassStatics(className, List.of(field), Arrays.asList(value))),
                List.of());
    }
}
