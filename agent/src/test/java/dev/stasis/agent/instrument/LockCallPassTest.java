package dev.stasis.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stasis.rt.LockCalls;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Every lock call of application code is followed by its {@code LockCalls} recorder, every class verifies
 * ({@code CheckClassAdapter}, in {@link InstrumentingLoader}; this test runs on JDK 17 and 25), and the count
 * of the calling thread follows exactly what it holds: successful acquisitions only, nothing for a
 * {@code tryLock} that fails or a call that throws. The test thread's own count is the one read, relative to
 * where each test starts.
 */
class LockCallPassTest {
    private static final String TARGET = "LockTarget";
    private static final String TARGET_CLASS = "dev/stasis/agent/instrument/targets/" + TARGET;
    private static final String CALLS = "dev/stasis/rt/LockCalls.";
    private static final long PROMPTLY_SECONDS = 10;

    private int before;

    @BeforeEach
    void install() {
        Rewinding.install();
        before = LockCalls.holdCountOfCurrentThread();
    }

    @AfterEach
    void uninstall() {
        Rewinding.uninstall();
        Thread.interrupted();
    }

    @Test
    void every_lock_call_is_followed_by_its_recorder_and_every_class_verifies() throws Exception {
        byte[] original = InstrumentingLoader.readClass(getClass().getClassLoader(), InstrumentingLoader.TARGETS + TARGET);
        InstrumentationResult result = new Instrumenter(ClassBytesSource.fromLoader(getClass().getClassLoader()))
                .instrument(original);
        InstrumentingLoader.verify(result.bytes(), getClass().getClassLoader());
        Map<String, MethodNode> methods = methods(result.bytes());

        assertThat(lockCalls(methods.get("lock(Ljava/util/concurrent/locks/Lock;)V")))
                .containsExactly("java/util/concurrent/locks/Lock.lock", CALLS + "locked");
        assertThat(lockCalls(methods.get("tryLockFor(Ljava/util/concurrent/locks/Lock;J)Z")))
                .containsExactly("java/util/concurrent/locks/Lock.tryLock", CALLS + "lockedIf");
        assertThat(lockCalls(methods.get("lockReentrant(Ljava/util/concurrent/locks/ReentrantLock;)V")))
                .containsExactly("java/util/concurrent/locks/ReentrantLock.lock", CALLS + "locked");
        assertThat(lockCalls(methods.get("unlockWrite(Ljava/util/concurrent/locks/ReentrantReadWriteLock;)V")))
                .containsExactly("java/util/concurrent/locks/ReentrantReadWriteLock$WriteLock.unlock", CALLS + "unlocked");
        assertThat(lockCalls(methods.get("tryReadLockFor(Ljava/util/concurrent/locks/StampedLock;J)J")))
                .containsExactly("java/util/concurrent/locks/StampedLock.tryReadLock", CALLS + "stamped");
        assertThat(lockCalls(methods.get("tryUnlockRead(Ljava/util/concurrent/locks/StampedLock;)Z")))
                .containsExactly("java/util/concurrent/locks/StampedLock.tryUnlockRead", CALLS + "unlockedIf");
        assertThat(lockCalls(methods.get("tryConvertToOptimisticRead(Ljava/util/concurrent/locks/StampedLock;J)J")))
                .containsExactly("java/util/concurrent/locks/StampedLock.tryConvertToOptimisticRead", CALLS + "converted");
        assertThat(lockCalls(methods.get("lockThroughMethodReference(Ljava/util/concurrent/locks/Lock;)V")))
                .as("the lambda proxy calls lock(), not this method").isEmpty();

        List<String> withoutRecorder = new ArrayList<>();
        methods.forEach((key, method) -> {
            List<String> calls = lockCalls(method);
            for (int i = 0; i < calls.size(); i++) {
                if (!calls.get(i).startsWith(CALLS) && (i + 1 == calls.size() || !calls.get(i + 1).startsWith(CALLS))) {
                    withoutRecorder.add(key + ": " + calls.get(i));
                }
            }
        });
        assertThat(withoutRecorder).as("lock calls with no recorder after them").isEmpty();
        assertThat(result.skippedMethods()).isEmpty();
    }

    @Test
    void counts_reentrant_holds_through_the_interface_and_the_class_exactly() throws Exception {
        ReentrantLock lock = new ReentrantLock();

        invoke("lock", lock);
        invoke("lockReentrant", lock);
        assertThat(invoke("tryLock", lock)).isEqualTo(true);
        assertThat(invoke("tryLockFor", lock, 1L)).isEqualTo(true);
        invoke("lockInterruptibly", lock);
        assertThat(holds()).isEqualTo(5).isEqualTo(lock.getHoldCount());

        invoke("unlock", lock);
        invoke("unlockReentrant", lock);
        assertThat(holds()).isEqualTo(3);
        invoke("unlock", lock);
        invoke("unlock", lock);
        invoke("unlock", lock);
        assertThat(holds()).isZero();
        assertThat(LockCalls.heldByCurrentThread()).isNull();
    }

    @Test
    void a_try_lock_that_fails_and_a_call_that_throws_count_nothing() throws Exception {
        ReentrantLock lock = new ReentrantLock();
        try (HeldElsewhere elsewhere = HeldElsewhere.hold(lock)) {
            assertThat(invoke("tryLock", lock)).isEqualTo(false);
            assertThat(invoke("tryLockReentrant", lock)).isEqualTo(false);
            assertThat(invoke("tryLockFor", lock, 5L)).isEqualTo(false);
            Thread.currentThread().interrupt();
            assertThatThrownBy(() -> invoke("lockInterruptibly", lock)).isInstanceOf(InterruptedException.class);
            assertThat(holds()).isZero();
        }
        assertThatThrownBy(() -> invoke("unlock", lock)).as("not held")
                .isInstanceOf(IllegalMonitorStateException.class);
        invoke("lock", lock);
        assertThatThrownBy(() -> invoke("unlock", new ReentrantLock())).isInstanceOf(IllegalMonitorStateException.class);
        assertThat(holds()).as("a release that threw gave nothing back").isEqualTo(1);
        invoke("unlock", lock);
        assertThat(holds()).isZero();
    }

    @Test
    void counts_both_locks_of_a_read_write_lock() throws Exception {
        ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

        invoke("lockWrite", lock);
        invoke("lockRead", lock); // a writer may also read
        assertThat(holds()).isEqualTo(2);
        assertThat(LockCalls.heldByCurrentThread()).isSameAs(lock.readLock());
        invoke("unlockRead", lock);
        assertThat(LockCalls.heldByCurrentThread()).isSameAs(lock.writeLock());
        invoke("unlockWrite", lock);
        assertThat(holds()).isZero();
    }

    @Test
    void counts_every_stamped_lock_acquisition_release_and_conversion() throws Exception {
        StampedLock lock = new StampedLock();

        long write = (long) invoke("writeLock", lock);
        assertThat(holds()).isEqualTo(1);
        assertThat(invoke("tryWriteLock", lock)).as("already write-locked").isEqualTo(0L);
        assertThat(invoke("tryReadLock", lock)).isEqualTo(0L);
        assertThat(invoke("tryReadLockFor", lock, 1L)).isEqualTo(0L);
        assertThat(holds()).as("no stamp, no hold").isEqualTo(1);
        long read = (long) invoke("tryConvertToReadLock", lock, write);
        assertThat(holds()).as("a write lock turned read lock is still one hold").isEqualTo(1);
        long optimistic = (long) invoke("tryConvertToOptimisticRead", lock, read);
        assertThat(StampedLock.isOptimisticReadStamp(optimistic)).isTrue();
        assertThat(holds()).as("an optimistic stamp holds nothing").isZero();
        long converted = (long) invoke("tryConvertToWriteLock", lock, optimistic);
        assertThat(StampedLock.isWriteLockStamp(converted)).isTrue();
        assertThat(holds()).isEqualTo(1);
        invoke("unlock", lock, converted);
        assertThat(holds()).isZero();

        long first = (long) invoke("readLock", lock);
        long second = (long) invoke("readLockInterruptibly", lock);
        long third = (long) invoke("tryReadLockFor", lock, 1L);
        assertThat(holds()).isEqualTo(3);
        invoke("unlockRead", lock, first);
        assertThat(invoke("tryUnlockRead", lock)).isEqualTo(true);
        invoke("unlock", lock, third);
        assertThat(invoke("tryUnlockRead", lock)).as("nothing left to release").isEqualTo(false);
        assertThat(holds()).isZero();

        invoke("unlockWrite", lock, (long) invoke("writeLockInterruptibly", lock));
        invoke("unlockWrite", lock, (long) invoke("tryWriteLockFor", lock, 1L));
        assertThat(invoke("tryWriteLock", lock)).isNotEqualTo(0L);
        assertThat(invoke("tryUnlockWrite", lock)).isEqualTo(true);
        assertThat(holds()).isZero();
        assertThatThrownBy(() -> invoke("unlockWrite", lock, second)).as("a stale stamp")
                .isInstanceOf(IllegalMonitorStateException.class);
        assertThat(invoke("tryConvertToWriteLock", lock, converted)).as("a stale stamp: no conversion").isEqualTo(0L);
        assertThat(holds()).isZero();
    }

    @Test
    void counts_a_stamped_locks_views_as_locks() throws Exception {
        StampedLock lock = new StampedLock();

        invoke("lock", lock.asWriteLock());
        assertThat(holds()).isEqualTo(1);
        invoke("unlock", lock.asWriteLock());
        invoke("lock", lock.asReadLock());
        assertThat(lock.isReadLocked()).isTrue();
        invoke("unlock", lock.asReadLock());
        assertThat(holds()).isZero();
    }

    @Test
    void counts_a_lock_taken_in_a_constructor_a_method_without_points() throws Exception {
        ReentrantLock lock = new ReentrantLock();
        Class<?> type = Rewinding.instrumented(TARGET + "$LockedInConstructor");

        type.getConstructor(Lock.class).newInstance(lock);

        assertThat(holds()).isEqualTo(1);
        invoke("unlock", lock);
        assertThat(holds()).isZero();
    }

    @Test
    void counts_an_applications_own_lock_at_its_call_and_the_jdk_lock_inside_it_too() throws Exception {
        Lock wrapping = (Lock) Rewinding.instrumented(TARGET + "$WrappingLock").getConstructor().newInstance();
        Lock spin = (Lock) Rewinding.instrumented(TARGET + "$SpinLock").getConstructor().newInstance();

        invoke("lock", wrapping);
        assertThat(holds()).as("the wrapper and the ReentrantLock inside it").isEqualTo(2);
        invoke("lock", spin);
        assertThat(holds()).as("a lock Stasis cannot look into counts at its call").isEqualTo(3);
        assertThat(LockCalls.heldByCurrentThread()).isSameAs(spin);
        invoke("unlock", spin);
        invoke("unlock", wrapping);
        assertThat(holds()).isZero();
    }

    @Test
    void a_lock_taken_through_a_method_reference_escapes_the_count_and_a_release_there_is_noticed_when_asked()
            throws Exception {
        ReentrantLock lock = new ReentrantLock();

        invoke("lockThroughMethodReference", lock);
        assertThat(lock.isHeldByCurrentThread()).isTrue();
        assertThat(holds()).as("left to the check at the cut").isZero();
        invoke("unlock", lock);
        assertThat(holds()).as("a release of a hold never counted changes nothing").isZero();

        invoke("lock", lock);
        invoke("unlockThroughMethodReference", lock);
        assertThat(holds()).isEqualTo(1);
        assertThat(LockCalls.heldByCurrentThread()).as("the JDK says the lock was given back").isNull();
        assertThat(holds()).isZero();
    }

    @Test
    void the_read_and_write_locks_of_a_read_write_lock_given_back_where_no_call_site_saw_it_are_noticed_too()
            throws Exception {
        ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

        invoke("lockRead", lock);
        lock.readLock().unlock(); // this test class is not instrumented
        assertThat(LockCalls.heldByCurrentThread()).as("the read lock's per-thread holds, read by reflection").isNull();
        invoke("lockWrite", lock);
        lock.writeLock().unlock();
        assertThat(LockCalls.heldByCurrentThread()).isNull();
        assertThat(holds()).isZero();
    }

    @Test
    void a_stamped_lock_held_is_named_by_its_counted_hold() throws Exception {
        StampedLock lock = new StampedLock();

        long stamp = (long) invoke("writeLock", lock);
        assertThat(LockCalls.heldByCurrentThread()).isSameAs(lock);
        invoke("unlockWrite", lock, stamp);
        assertThat(LockCalls.heldByCurrentThread()).isNull();
    }

    @Test
    void a_condition_wait_gives_back_the_hold_it_takes_back() throws Exception {
        ReentrantLock lock = new ReentrantLock();

        assertThat(invoke("awaitBriefly", lock, lock.newCondition())).isEqualTo(false);

        assertThat(holds()).isZero();
    }

    @Test
    void a_condition_wait_cut_short_for_a_capture_holds_nothing_counted_and_counts_its_hold_again_after_the_rewind()
            throws Exception {
        Class<?> target = Rewinding.instrumented(TARGET);
        target.getField("signalled").setBoolean(null, false);
        ReentrantLock lock = new ReentrantLock();
        Condition condition = lock.newCondition();
        CompletableFuture<Object> result = new CompletableFuture<>();
        Thread waiter = new Thread(() -> {
            try {
                result.complete(invoke("awaitSignal", lock, condition));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "waiter");
        waiter.start();
        awaitWaiting(waiter);

        Rewinding.ENGINE.arm(1, CaptureEngine.Mode.IN_PLACE); // the wait loop's poll; the waiter carries on in place
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(PROMPTLY_SECONDS);
        while (Rewinding.ENGINE.holdsAtCapture() < 0) {
            assertThat(System.nanoTime() - giveUp).as("the waiter captured").isNegative();
            Thread.sleep(1);
        }
        awaitWaiting(waiter); // waiting again, after the rewind
        Rewinding.ENGINE.disarm();
        assertThat(Rewinding.ENGINE.captured()).hasSize(1);
        assertThat(Rewinding.ENGINE.holdsAtCapture()).as("counted for the waiter at its capture").isZero();
        lock.lock();
        try {
            target.getField("signalled").setBoolean(null, true);
            condition.signalAll();
        } finally {
            lock.unlock();
        }

        assertThat(result.get(PROMPTLY_SECONDS, TimeUnit.SECONDS)).isEqualTo("counted 1, held 1");
    }

    @Test
    void captures_at_every_poll_around_critical_sections_and_the_count_ends_where_it_began() throws Exception {
        Rewinding.Report report = Rewinding.sweep(TARGET, 300);

        assertThat(report.captures()).isEqualTo(Math.min(report.polls(), 300));
        assertThat(report.points()).as("inside the application's own lock(), below the recorder of its call")
                .anyMatch(point -> point.startsWith(TARGET_CLASS + "$SpinLock.lock()V @"));
        assertThat(Rewinding.run(Rewinding.instrumented(TARGET))).endsWith(", holds " + before);
    }

    @Test
    void frame_layouts_see_the_same_points_with_the_receiver_copy_on_the_stack() {
        byte[] original = InstrumentingLoader.readClass(getClass().getClassLoader(), InstrumentingLoader.TARGETS + TARGET);
        InstrumentationResult result = new Instrumenter(ClassBytesSource.fromLoader(getClass().getClassLoader()))
                .instrument(original);
        FrameLayouts layouts = new FrameLayouts(ClassBytesSource.fromLoader(getClass().getClassLoader()));

        for (String key : List.of(TARGET_CLASS + ".run()Ljava/lang/String;",
                TARGET_CLASS + ".tryConvertToWriteLock(Ljava/util/concurrent/locks/StampedLock;J)J")) {
            FrameLayouts.Method layout = layouts.of(original, key);
            assertThat(layout.points()).as("points of %s", key).hasSize(result.instrumentedMethods().get(key));
        }
    }

    private int holds() {
        return LockCalls.holdCountOfCurrentThread() - before;
    }

    /** Calls the instrumented target's public static method of that name whose parameters take {@code args}. */
    private static Object invoke(String name, Object... args) throws Exception {
        for (Method method : Rewinding.instrumented(TARGET).getMethods()) {
            if (method.getName().equals(name) && accepts(method.getParameterTypes(), args)) {
                try {
                    return method.invoke(null, args);
                } catch (InvocationTargetException e) {
                    if (e.getCause() instanceof Exception cause) {
                        throw cause;
                    }
                    throw e;
                }
            }
        }
        throw new AssertionError("LockTarget has no method " + name + " for " + List.of(args));
    }

    private static boolean accepts(Class<?>[] parameters, Object[] args) {
        if (parameters.length != args.length) {
            return false;
        }
        for (int i = 0; i < args.length; i++) {
            boolean fits = parameters[i] == long.class ? args[i] instanceof Long : parameters[i].isInstance(args[i]);
            if (!fits) {
                return false;
            }
        }
        return true;
    }

    private static void awaitWaiting(Thread thread) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(PROMPTLY_SECONDS);
        while (thread.getState() != Thread.State.WAITING) {
            assertThat(System.nanoTime() - giveUp).as("thread %s waiting", thread.getName()).isNegative();
            Thread.sleep(1);
        }
    }

    /** The lock calls (of the JDK's lock types) and recorder calls of a method, in order. */
    private static List<String> lockCalls(MethodNode method) {
        List<String> calls = new ArrayList<>();
        for (AbstractInsnNode insn : method.instructions) {
            // Not constructors, queries, or accessors (readLock() of a read-write lock, newCondition()).
            if (insn instanceof MethodInsnNode call && (call.owner.startsWith("java/util/concurrent/locks/")
                    && !call.desc.contains(")L") && !call.name.equals("tryOptimisticRead")
                    && !call.name.equals("<init>") && !call.name.startsWith("get") && !call.name.startsWith("is")
                    || (call.owner + ".").equals(CALLS))) {
                calls.add(call.owner + "." + call.name);
            }
        }
        return calls;
    }

    private static Map<String, MethodNode> methods(byte[] bytes) {
        ClassNode node = new ClassNode();
        new ClassReader(bytes).accept(node, ClassReader.SKIP_FRAMES);
        return node.methods.stream().collect(Collectors.toMap(m -> m.name + m.desc, m -> m));
    }

    /** Another thread holds the lock until closed. */
    private record HeldElsewhere(Thread holder, CountDownLatch release) implements AutoCloseable {
        static HeldElsewhere hold(Lock lock) throws InterruptedException {
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread holder = new Thread(() -> {
                lock.lock();
                try {
                    held.countDown();
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    lock.unlock();
                }
            }, "holder");
            holder.start();
            held.await();
            return new HeldElsewhere(holder, release);
        }

        @Override
        public void close() throws InterruptedException {
            release.countDown();
            holder.join();
        }
    }
}
