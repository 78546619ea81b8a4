package dev.stasis.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.rt.Frame;
import dev.stasis.rt.LockCalls;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;

/**
 * {@code Object.wait}, {@code Condition.await*} and {@code CyclicBarrier.await*} become polled loops: a
 * thread waiting in one is captured at once, holding nothing, and after a rewind the wait returns as a
 * spurious wake-up, so the program's own loop sees what changed meanwhile.
 */
class WaitCallsTest {
    private static final String TARGET = "WaitTarget";
    private static final String RT = "dev/stasis/rt/";
    private static final long PROMPTLY_SECONDS = 10;

    @BeforeEach
    void install() throws Exception {
        Rewinding.install();
        reset(Class.forName(InstrumentingLoader.TARGETS + TARGET));
        reset(Rewinding.instrumented(TARGET));
    }

    @AfterEach
    void uninstall() {
        Rewinding.uninstall();
    }

    @Test
    void every_wait_form_becomes_a_helper_loop_that_verifies_and_keeps_its_handlers() {
        byte[] original = InstrumentingLoader.readClass(getClass().getClassLoader(), InstrumentingLoader.TARGETS + TARGET);
        InstrumentationResult result = new Instrumenter(ClassBytesSource.fromLoader(getClass().getClassLoader()))
                .instrument(original);
        InstrumentingLoader.verify(result.bytes(), getClass().getClassLoader());

        assertThat(calls(method(result.bytes(), "allForms"))).containsExactly(
                RT + "ConditionCalls.beginUninterruptibly", RT + "ConditionCalls.await",
                RT + "ConditionCalls.beginNanos", RT + "ConditionCalls.await", RT + "ConditionCalls.remainingNanos",
                RT + "ConditionCalls.begin", RT + "ConditionCalls.await", RT + "ConditionCalls.inTime",
                RT + "ConditionCalls.beginUntil", RT + "ConditionCalls.await", RT + "ConditionCalls.inTime",
                RT + "ObjectWaitCalls.begin", RT + "ObjectWaitCalls.await",
                RT + "ObjectWaitCalls.begin", RT + "ObjectWaitCalls.await",
                RT + "BarrierCalls.begin", RT + "BarrierCalls.await", RT + "BarrierCalls.index");
        MethodNode condition = method(result.bytes(), "condition");
        assertThat(calls(condition)).containsExactly(RT + "ConditionCalls.begin", RT + "ConditionCalls.await");
        int await = indexOfCall(condition, "await");
        assertThat(condition.tryCatchBlocks).as("the finally that unlocks still covers the wait")
                .anyMatch(block -> block.type == null && covers(condition, block, await));
        assertThat(calls(method(result.bytes(), "inBlock")))
                .as("a wait inside a synchronized block gets the block form, which names the block's monitor")
                .containsExactly(RT + "ObjectWaitCalls.beginInBlock", RT + "ObjectWaitCalls.await");
        assertThat(calls(method(result.bytes(), "nestedBlocks")))
                .as("inside two blocks the outer one stays held: the plain form, whose poll refuses a capture")
                .containsExactly(RT + "ObjectWaitCalls.begin", RT + "ObjectWaitCalls.await");
    }

    @Test
    void frame_layouts_see_the_same_points_with_the_call_in_a_stasis_local() {
        byte[] original = InstrumentingLoader.readClass(getClass().getClassLoader(), InstrumentingLoader.TARGETS + TARGET);
        String key = "dev/stasis/agent/instrument/targets/" + TARGET + ".monitor()Ljava/lang/String;";
        FrameLayouts.Method layout = new FrameLayouts(ClassBytesSource.fromLoader(getClass().getClassLoader()))
                .of(original, key);
        InstrumentationResult result = new Instrumenter(ClassBytesSource.fromLoader(getClass().getClassLoader()))
                .instrument(original);

        assertThat(layout.points()).hasSize(result.instrumentedMethods().get(key));
        assertThat(layout.points()).anySatisfy(point -> assertThat(point.locals())
                .extracting(FrameLayouts.Value::name).containsExactly("before", "(stasis local 1)"));
    }

    @Test
    void a_thread_waiting_in_a_synchronized_method_is_captured_at_once_and_after_the_rewind_sees_the_notification()
            throws Exception {
        Class<?> target = Rewinding.instrumented(TARGET);
        Frame frame = captureWhileWaiting(target, "monitor");
        assertThat(frame.refs).as("the wait's call state").hasSize(1);

        target.getField("ready").setBoolean(null, true); // the program's change while the waiter was captured
        Rewinding.ENGINE.rewindCaptured();
        String resumed = Rewinding.run(target);

        assertThat(Rewinding.ENGINE.rewindFinished()).isTrue();
        assertThat(resumed).isEqualTo("ready after 42, holds true");
    }

    @Test
    void a_thread_waiting_in_a_synchronized_block_lets_go_of_its_monitor_when_captured_and_takes_it_back_on_the_rewind()
            throws Exception {
        Class<?> target = Rewinding.instrumented(TARGET);
        Object monitor = target.getField("BLOCK_MONITOR").get(null);
        Rewinding.ENGINE.watch(monitor);
        Frame frame = captureWhileWaiting(target, "block");

        assertThat(Rewinding.ENGINE.watchedHeldAtFirstUnwound()).as("the block's monitor let go before the frame was"
                + " handed over").isFalse();
        assertThat(frame.refs).as("the block's monitor, the local made in the block and the wait's call state")
                .contains(monitor, "inside");
        synchronized (monitor) {
            target.getField("ready").setBoolean(null, true); // the program's change while the waiter was captured
            monitor.notifyAll(); // sent while nobody waits: not lost, the rewound loop checks the state
        }
        Rewinding.ENGINE.rewindCaptured();
        String resumed = Rewinding.run(target);

        assertThat(Rewinding.ENGINE.rewindFinished()).isTrue();
        assertThat(resumed).isEqualTo("ready after 42 inside, holds true");
    }

    @Test
    void a_bottom_frame_captured_in_a_synchronized_block_carries_on_in_place_through_the_block_entry_and_waits_again()
            throws Exception {
        Class<?> target = Rewinding.instrumented("BlockWaitTarget");
        Object monitor = target.getField("MONITOR").get(null);
        target.getField("ready").setBoolean(null, false);
        Rewinding.ENGINE.watch(monitor);
        CompletableFuture<String> run = new CompletableFuture<>();
        Thread waiter = new Thread(() -> {
            try {
                run.complete(Rewinding.run(target));
            } catch (Throwable e) {
                run.completeExceptionally(e);
            }
        }, "waiter");
        waiter.start();
        awaitWaiting(waiter);

        Rewinding.ENGINE.arm(1, CaptureEngine.Mode.IN_PLACE);
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(PROMPTLY_SECONDS);
        while (Rewinding.ENGINE.holdsAtCapture() < 0) {
            assertThat(System.nanoTime() - giveUp).as("the waiter saved its frame").isNegative();
            Thread.sleep(1);
        }
        assertThat(Rewinding.ENGINE.watchedHeldAtFirstUnwound()).isFalse();
        Rewinding.ENGINE.disarm();
        awaitWaiting(waiter); // back in the wait, the monitor taken again on the way and let go by the wait
        assertThat(run).as("still waiting after carrying on in place").isNotDone();
        synchronized (monitor) {
            target.getField("ready").setBoolean(null, true);
            monitor.notifyAll();
        }

        assertThat(run.get(PROMPTLY_SECONDS, TimeUnit.SECONDS)).isEqualTo("ready after 42 inside, holds true");
        waiter.join();
    }

    @Test
    void a_thread_awaiting_a_condition_is_captured_holding_nothing_and_takes_the_lock_back_on_the_rewind()
            throws Exception {
        Class<?> target = Rewinding.instrumented(TARGET);
        ReentrantLock lock = (ReentrantLock) target.getField("LOCK").get(null);
        Condition signalled = (Condition) target.getField("SIGNALLED").get(null);

        captureWhileWaiting(target, "condition");

        assertThat(lock.isLocked()).as("the captured thread let go of the lock").isFalse();
        assertThat(Rewinding.ENGINE.holdsAtCapture()).as("and of the hold counted for it").isZero();
        lock.lock();
        try {
            assertThat(lock.hasWaiters(signalled)).isFalse();
            target.getField("signalled").setBoolean(null, true);
            signalled.signalAll(); // sent while nobody waits: not lost, the rewound loop checks the state
        } finally {
            lock.unlock();
        }
        int holds = LockCalls.holdCountOfCurrentThread();
        Rewinding.ENGINE.rewindCaptured();
        String resumed = Rewinding.run(target);

        assertThat(resumed).isEqualTo("signalled after 42, holds 1");
        assertThat(lock.isLocked()).isFalse();
        assertThat(LockCalls.holdCountOfCurrentThread())
                .as("the hold the resumed wait took back (as after a relaunch, on another thread) was given back")
                .isEqualTo(holds);
    }

    @Test
    void a_thread_at_a_barrier_is_captured_without_breaking_it_and_the_rewind_gets_its_arrival_index() throws Exception {
        Class<?> target = Rewinding.instrumented(TARGET);
        CyclicBarrier barrier = (CyclicBarrier) target.getField("barrier").get(null);

        captureWhileWaiting(target, "barrier");

        assertThat(barrier.isBroken()).isFalse();
        assertThat(barrier.getNumberWaiting()).as("its arrival still counts").isEqualTo(1);
        assertThat(barrier.await(PROMPTLY_SECONDS, TimeUnit.SECONDS)).as("the other party trips it").isZero();
        Rewinding.ENGINE.rewindCaptured();
        String resumed = Rewinding.run(target);

        assertThat(resumed).isEqualTo("index 1 after 42");
    }

    /** Runs {@code mode} on a new thread, captures it at the first poll once it waits, and returns its frame. */
    private static Frame captureWhileWaiting(Class<?> target, String mode) throws Exception {
        target.getField("mode").set(null, mode);
        CompletableFuture<String> firstRun = new CompletableFuture<>();
        Thread waiter = new Thread(() -> {
            try {
                firstRun.complete(Rewinding.run(target));
            } catch (Throwable e) {
                firstRun.completeExceptionally(e);
            }
        }, "waiter");
        waiter.start();
        awaitWaiting(waiter);

        Rewinding.ENGINE.arm(1, CaptureEngine.Mode.RELAUNCH); // the first poll it reaches: the wait loop's

        assertThat(firstRun.get(PROMPTLY_SECONDS, TimeUnit.SECONDS)).as("the unwound entry's dummy").isNull();
        waiter.join();
        Rewinding.ENGINE.disarm();
        List<Frame> captured = Rewinding.ENGINE.captured();
        assertThat(captured).as("run and the waiting method").hasSize(2);
        Frame waiting = captured.get(0);
        assertThat(waiting.method).contains("." + mode + "(");
        assertThat(waiting.ints).as("the local before the wait").containsExactly(41);
        return waiting;
    }

    private static void awaitWaiting(Thread thread) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(PROMPTLY_SECONDS);
        while (thread.getState() != Thread.State.WAITING) {
            assertThat(System.nanoTime() - giveUp).as("thread %s waiting", thread.getName()).isNegative();
            Thread.sleep(1);
        }
    }

    private static void reset(Class<?> type) throws Exception {
        type.getField("ready").setBoolean(null, false);
        type.getField("signalled").setBoolean(null, false);
        type.getField("barrier").set(null, new CyclicBarrier(2));
        type.getField("mode").set(null, "monitor");
        Rewinding.ENGINE.watch(null);
    }

    private static List<String> calls(MethodNode method) {
        List<String> calls = new ArrayList<>();
        for (AbstractInsnNode insn : method.instructions) {
            // LockCalls, which counts the lock's holds around the waits, is LockCallPassTest's.
            if (insn instanceof MethodInsnNode call && (call.owner.startsWith(RT) && call.owner.endsWith("Calls")
                    && !call.owner.equals(RT + "LockCalls")
                    || call.name.equals("wait") || call.name.startsWith("await"))) {
                calls.add(call.owner + "." + call.name);
            }
        }
        return calls;
    }

    private static int indexOfCall(MethodNode method, String name) {
        for (AbstractInsnNode insn : method.instructions) {
            if (insn instanceof MethodInsnNode call && call.name.equals(name)) {
                return method.instructions.indexOf(call);
            }
        }
        throw new AssertionError("no call of " + name);
    }

    private static boolean covers(MethodNode method, TryCatchBlockNode block, int index) {
        return method.instructions.indexOf(block.start) <= index && index < method.instructions.indexOf(block.end);
    }

    private static MethodNode method(byte[] bytes, String name) {
        ClassNode node = new ClassNode();
        new ClassReader(bytes).accept(node, ClassReader.SKIP_FRAMES);
        return node.methods.stream().filter(m -> m.name.equals(name)).findFirst().orElseThrow();
    }
}
