package dev.stasis.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.rt.Frame;
import dev.stasis.rt.Stasis;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;

/**
 * {@code System.nanoTime()} becomes the offset clock everywhere, and {@code Thread.sleep} a deadline loop
 * whose poll captures the sleeping thread at once; after a resume it sleeps only what is left.
 */
class SleepAndClockTest {
    private static final String TARGET = "SleepTarget";
    private static final String SLEEP_CALL = "dev/stasis/rt/SleepCall";
    private static final long LONG_SLEEP_MILLIS = 30_000;
    /** How long a test waits for what must happen at once; far shorter than {@link #LONG_SLEEP_MILLIS}. */
    private static final long PROMPTLY_SECONDS = 10;

    @BeforeEach
    void install() throws Exception {
        Rewinding.install();
        sleepMillis(5);
    }

    @AfterEach
    void uninstall() throws Exception {
        Rewinding.uninstall();
        Stasis.continueClockFrom(System.nanoTime());
    }

    @Test
    void sleeps_become_a_polled_deadline_loop_and_every_nanoTime_the_offset_clock_constructors_included() {
        byte[] original = InstrumentingLoader.readClass(getClass().getClassLoader(), InstrumentingLoader.TARGETS + TARGET);
        InstrumentationResult result = new Instrumenter(ClassBytesSource.fromLoader(getClass().getClassLoader()))
                .instrument(original);
        InstrumentingLoader.verify(result.bytes(), getClass().getClassLoader());

        MethodNode run = method(result.bytes(), "run");
        assertThat(calls(run)).containsExactly("dev/stasis/rt/Stasis.nanoTime()J", SLEEP_CALL + ".deadline(J)J",
                SLEEP_CALL + ".sleepUntil(J)Z", SLEEP_CALL + ".deadline(JI)J", SLEEP_CALL + ".sleepUntil(J)Z",
                "dev/stasis/rt/Stasis.nanoTime()J");
        assertThat(calls(method(result.bytes(), "<init>"))).containsExactly("dev/stasis/rt/Stasis.nanoTime()J");
        assertThat(result.instrumentedMethods()).as("entry, the two sleep loops and isInterrupted in the handler")
                .containsEntry("dev/stasis/agent/instrument/targets/" + TARGET + ".run()Ljava/lang/String;", 4);
        for (AbstractInsnNode insn : run.instructions) {
            if (insn instanceof MethodInsnNode call && call.name.equals("sleepUntil")) {
                int at = run.instructions.indexOf(call);
                assertThat(run.tryCatchBlocks).as("the InterruptedException handler covers each sleepUntil")
                        .anyMatch(block -> "java/lang/InterruptedException".equals(block.type) && covers(run, block, at));
            }
        }
    }

    @Test
    void frame_layouts_see_the_same_points_with_the_deadline_in_a_stasis_local() {
        byte[] original = InstrumentingLoader.readClass(getClass().getClassLoader(), InstrumentingLoader.TARGETS + TARGET);
        FrameLayouts.Method layout = new FrameLayouts(ClassBytesSource.fromLoader(getClass().getClassLoader()))
                .of(original, "dev/stasis/agent/instrument/targets/" + TARGET + ".run()Ljava/lang/String;");

        assertThat(layout.points()).hasSize(4);
        assertThat(layout.points().get(1).locals()).extracting(FrameLayouts.Value::name)
                .containsExactly("before", "start", "(stasis local 5)"); // the deadline, in a local the pass added
    }

    @Test
    void sleeps_as_long_as_asked_and_keeps_sleeps_argument_and_interrupt_rules() throws Exception {
        Class<?> target = Rewinding.instrumented(TARGET);

        assertThat(Rewinding.run(target)).isEqualTo("slept enough after 42");
        assertThat(target.getMethod("negative").invoke(null)).isEqualTo("timeout value is negative");
        Thread.currentThread().interrupt();
        try {
            assertThat(Rewinding.run(target)).isEqualTo("interrupted after 41, flag false");
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void application_code_reads_the_offset_clock() throws Exception {
        Class<?> target = Rewinding.instrumented(TARGET);
        long recorded = System.nanoTime() + TimeUnit.DAYS.toNanos(3);

        Stasis.continueClockFrom(recorded);
        long constructed = (long) target.getMethod("constructed").invoke(null);

        assertThat(constructed - recorded).isNotNegative().isLessThan(TimeUnit.SECONDS.toNanos(PROMPTLY_SECONDS));
    }

    @Test
    void a_thread_sleeping_30_s_is_captured_at_once_and_after_a_relaunch_sleeps_only_what_was_left() throws Exception {
        Class<?> target = Rewinding.instrumented(TARGET);
        sleepMillis(LONG_SLEEP_MILLIS);
        CompletableFuture<String> firstRun = new CompletableFuture<>();
        Thread sleeper = new Thread(() -> {
            try {
                firstRun.complete(Rewinding.run(target));
            } catch (Throwable e) {
                firstRun.completeExceptionally(e);
            }
        }, "sleeper");
        sleeper.start();
        awaitSleeping(sleeper);

        Rewinding.ENGINE.arm(1, CaptureEngine.Mode.RELAUNCH); // the first poll it reaches: the sleep loop's

        assertThat(firstRun.get(PROMPTLY_SECONDS, TimeUnit.SECONDS)).as("the unwound entry's dummy").isNull();
        Rewinding.ENGINE.disarm();
        Frame frame = Rewinding.ENGINE.captured().get(0);
        assertThat(Rewinding.ENGINE.captured()).hasSize(1);
        assertThat(frame.point).as("the first sleep loop's point").isEqualTo(1);
        assertThat(frame.ints).containsExactly(41);
        assertThat(frame.longs).as("start and the deadline").hasSize(2);
        long start = frame.longs[0];
        long deadline = frame.longs[1];
        assertThat(deadline - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(LONG_SLEEP_MILLIS));

        // A relaunch whose clock goes on 50 ms before the deadline: only those 50 ms are left to sleep.
        sleepMillis(5); // the static is not part of this test's capture; the sleep's own deadline is
        Stasis.continueClockFrom(deadline - TimeUnit.MILLISECONDS.toNanos(50));
        Rewinding.ENGINE.rewindCaptured();
        String resumed = Rewinding.run(target);

        assertThat(Rewinding.ENGINE.rewindFinished()).isTrue();
        assertThat(Stasis.nanoTime() - deadline).as("woke at its deadline, not before").isNotNegative();
        assertThat(resumed).isEqualTo("slept enough after 42");
    }

    private static void awaitSleeping(Thread thread) {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(PROMPTLY_SECONDS);
        while (thread.getState() != Thread.State.TIMED_WAITING) {
            assertThat(System.nanoTime() - giveUp).as("thread %s asleep", thread.getName()).isNegative();
            Thread.onSpinWait();
        }
    }

    private static void sleepMillis(long millis) throws Exception {
        for (Class<?> type : List.of(Class.forName(InstrumentingLoader.TARGETS + TARGET), Rewinding.instrumented(TARGET))) {
            Field field = type.getField("sleepMillis");
            field.setLong(null, millis);
        }
    }

    private static List<String> calls(MethodNode method) {
        List<String> calls = new ArrayList<>();
        for (AbstractInsnNode insn : method.instructions) {
            if (insn instanceof MethodInsnNode call && (call.owner.equals(SLEEP_CALL)
                    || call.name.equals("sleep") || call.name.equals("nanoTime"))) {
                calls.add(call.owner + "." + call.name + call.desc);
            }
        }
        return calls;
    }

    private static boolean covers(MethodNode method, TryCatchBlockNode block, int index) {
        return method.instructions.indexOf(block.start) <= index && index < method.instructions.indexOf(block.end);
    }

    private static MethodNode method(byte[] bytes, String name) {
        ClassNode node = new ClassNode();
        new ClassReader(bytes).accept(node, ClassReader.SKIP_FRAMES);
        return node.methods.stream().filter(m -> m.name.equals(name) && (m.access & Opcodes.ACC_SYNTHETIC) == 0)
                .findFirst().orElseThrow();
    }
}
