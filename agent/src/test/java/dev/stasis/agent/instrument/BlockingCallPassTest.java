package dev.stasis.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * The rewritten blocking calls: each becomes a helper loop (with the original call kept for receivers whose
 * method is the application's own), every class passes {@code CheckClassAdapter} (this test runs on JDK 17
 * and 25), and frame layouts see the same points.
 */
class BlockingCallPassTest {
    private static final String TARGET = "dev/stasis/agent/instrument/targets/BlockingTarget";
    private static final String CALLS = "dev/stasis/rt/BlockingCalls";

    @Test
    void every_blocking_call_becomes_a_polled_helper_loop_and_the_class_verifies() {
        InstrumentationResult result = instrumentTarget();
        InstrumentingLoader.verify(result.bytes(), getClass().getClassLoader());
        Map<String, MethodNode> methods = methods(result.bytes());

        assertThat(helperCalls(methods.get("take"))).containsExactly(CALLS + ".runsJdkCode", CALLS + ".take");
        assertThat(originalCalls(methods.get("take"))).as("kept for an application's own take")
                .containsExactly("java/util/concurrent/BlockingQueue.take");
        assertThat(helperCalls(methods.get("takeFromClass"))).contains(CALLS + ".take");
        assertThat(helperCalls(methods.get("poll"))).containsExactly(CALLS + ".deadline", CALLS + ".runsJdkCode",
                CALLS + ".poll");
        assertThat(helperCalls(methods.get("arriveAndAwaitAdvance"))).containsExactly(CALLS + ".runsJdkCode",
                CALLS + ".arrive", CALLS + ".awaitAdvance");
        assertThat(helperCalls(methods.get("invokeAll"))).as("tasks submitted once, then a resumable wait")
                .containsExactly(CALLS + ".runsJdkCode", CALLS + ".submitAll", CALLS + ".invokeAll");
        assertThat(helperCalls(methods.get("invokeAllTimed"))).containsExactly(CALLS + ".deadline",
                CALLS + ".runsJdkCode", CALLS + ".submitAll", CALLS + ".invokeAll");
        assertThat(helperCalls(methods.get("join"))).as("Thread.join is final: no check, no original call")
                .containsExactly(CALLS + ".join");
        assertThat(originalCalls(methods.get("join"))).isEmpty();
        assertThat(helperCalls(methods.get("joinMillisNanos"))).containsExactly(CALLS + ".joinDeadline", CALLS + ".join");
        assertThat(calls(methods.get("parkUntilReleased"))).contains("dev/stasis/rt/ParkCall.park")
                .doesNotContain("java/util/concurrent/locks/LockSupport.park");
        assertThat(calls(methods.get("timeUnitSleep"))).contains("dev/stasis/rt/SleepCall.sleepNanos",
                "dev/stasis/rt/SleepCall.deadlineAfter", "dev/stasis/rt/SleepCall.sleepUntil");

        List<String> withoutHelper = new ArrayList<>();
        for (MethodNode method : methods.values()) {
            boolean blocking = !method.name.startsWith("<") && !method.name.equals("the")
                    && !method.name.equals("parkUntilReleased") && !method.name.equals("timeUnitSleep")
                    && !method.name.startsWith("$") && (method.access & Opcodes.ACC_SYNTHETIC) == 0;
            if (blocking && helperCalls(method).stream().noneMatch(call -> call.startsWith(CALLS + ".")
                    && !call.endsWith(".runsJdkCode") && !call.endsWith("Deadline") && !call.endsWith(".deadline"))) {
                withoutHelper.add(method.name);
            }
        }
        assertThat(withoutHelper).as("blocking calls left as they were").isEmpty();
        assertThat(result.skippedMethods()).isEmpty();
    }

    @Test
    void frame_layouts_see_the_same_points_with_receiver_and_deadline_in_stasis_locals() {
        byte[] original = InstrumentingLoader.readClass(getClass().getClassLoader(), TARGET.replace('/', '.'));
        InstrumentationResult result = instrumentTarget();
        FrameLayouts layouts = new FrameLayouts(ClassBytesSource.fromLoader(getClass().getClassLoader()));

        for (String name : List.of("take", "poll", "arriveAndAwaitAdvance", "joinMillis")) {
            String key = result.instrumentedMethods().keySet().stream().filter(k -> k.startsWith(TARGET + "." + name + "("))
                    .findFirst().orElseThrow();
            FrameLayouts.Method layout = layouts.of(original, key);
            assertThat(layout.points()).as("points of %s", name).hasSize(result.instrumentedMethods().get(key));
            assertThat(layout.points().get(1).locals()).as("the loop's locals in %s", name)
                    .anyMatch(value -> value.name().startsWith("(stasis local"));
        }
    }

    @Test
    void an_application_override_runs_once_as_it_was_and_its_super_call_is_left_alone() throws Exception {
        Class<?> queueType = Rewinding.LOADER.loadClass(InstrumentingLoader.TARGETS + "CountingQueue");
        Object queue = queueType.getConstructor().newInstance();
        queueType.getMethod("add", Object.class).invoke(queue, "x");

        Object result = queueType.getMethod("takeOnce", queueType).invoke(null, queue);

        assertThat(result).as("the override ran once: not bypassed by a helper, no helper loop through super")
                .isEqualTo("took x, takes 1");
        byte[] original = InstrumentingLoader.readClass(getClass().getClassLoader(),
                InstrumentingLoader.TARGETS + "CountingQueue");
        Map<String, MethodNode> methods = methods(new Instrumenter(ClassBytesSource.fromLoader(getClass().getClassLoader()))
                .instrument(original).bytes());
        assertThat(helperCalls(methods.get("take"))).as("super.take() (invokespecial) stays as it is").isEmpty();
        assertThat(helperCalls(methods.get("takeOnce"))).contains(CALLS + ".runsJdkCode", CALLS + ".take");
    }

    /**
     * {@code Thread.sleep(Duration)} and {@code Thread.join(Duration)} exist from JDK 19: call sites only in
     * classes compiled for it, so a generated class stands in; it verifies on every JDK, and runs where it can.
     */
    @Test
    void duration_sleeps_and_joins_of_jdk_19_classes_are_rewritten_and_run_on_such_a_jdk() throws Exception {
        byte[] generated = durationCalls();
        InstrumentationResult result = new Instrumenter(ClassBytesSource.fromLoader(getClass().getClassLoader()))
                .instrument(generated);
        Map<String, MethodNode> methods = methods(result.bytes());

        assertThat(calls(methods.get("sleep"))).filteredOn(call -> call.startsWith("dev/stasis/rt/SleepCall."))
                .containsExactly("dev/stasis/rt/SleepCall.sleepNanos",
                "dev/stasis/rt/SleepCall.deadlineAfter", "dev/stasis/rt/SleepCall.sleepUntil");
        assertThat(helperCalls(methods.get("join"))).containsExactly(CALLS + ".deadline", CALLS + ".join");
        assertThat(result.skippedMethods()).isEmpty();
        InstrumentingLoader.verify(result.bytes(), getClass().getClassLoader());

        if (Runtime.version().feature() >= 19) {
            Class<?> loaded = new ClassLoader(getClass().getClassLoader()) {
                Class<?> define() {
                    return defineClass("gen.Durations", result.bytes(), 0, result.bytes().length);
                }
            }.define();
            Method sleep = loaded.getMethod("sleep", Duration.class);
            Method join = loaded.getMethod("join", Thread.class, Duration.class);
            long start = System.nanoTime();
            sleep.invoke(null, Duration.ofMillis(20));
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(20).toNanos());
            sleep.invoke(null, Duration.ofMillis(-1));
            Thread ended = new Thread(() -> { }, "ended");
            ended.start();
            assertThat(join.invoke(null, ended, Duration.ofSeconds(10))).isEqualTo(true);
            Thread sleeping = new Thread(() -> sleepQuietly(Duration.ofSeconds(10)), "sleeping");
            sleeping.setDaemon(true);
            sleeping.start();
            assertThat(join.invoke(null, sleeping, Duration.ofMillis(5))).isEqualTo(false);
            sleeping.interrupt();
        }
    }

    /**
     * {@code ExecutorService.close()} (JDK 19 and later, the end of {@code try (var executor = ...)}) in a class javac
     * cannot compile for Java 17: rewritten into {@code shutdown()} once and a resumable wait, it verifies and runs
     * on JDK 17 as well, since the helpers do not call {@code close()}.
     */
    @Test
    void close_becomes_a_shutdown_once_and_a_resumable_wait_and_runs_on_every_jdk() throws Exception {
        byte[] generated = GeneratedClasses.closing("gen/Closing");
        InstrumentationResult result = new Instrumenter(ClassBytesSource.fromLoader(getClass().getClassLoader()))
                .instrument(generated);
        InstrumentingLoader.verify(result.bytes(), getClass().getClassLoader());
        MethodNode close = methods(result.bytes()).get("close");

        assertThat(helperCalls(close)).containsExactly(CALLS + ".runsJdkCode", CALLS + ".beginClose", CALLS + ".close");
        assertThat(originalCalls(close)).as("kept for an application's own close()")
                .containsExactly("java/util/concurrent/ExecutorService.close", "java/util/concurrent/ExecutorService.isTerminated");
        assertThat(result.skippedMethods()).isEmpty();
        String key = "gen/Closing.close(Ljava/util/concurrent/ExecutorService;)Ljava/lang/String;";
        FrameLayouts.Method layout = new FrameLayouts(ClassBytesSource.fromLoader(getClass().getClassLoader()))
                .of(generated, key);
        assertThat(layout.points()).as("points of close").hasSize(result.instrumentedMethods().get(key));
        assertThat(layout.points().get(1).locals()).as("the loop's locals: receiver and the close's memory")
                .filteredOn(value -> value.name().startsWith("(stasis local")).extracting(FrameLayouts.Value::type)
                .containsExactly("java.util.concurrent.ExecutorService", "boolean[]");

        Method closeGiven = GeneratedClasses.define(result.bytes()).getMethod("close", ExecutorService.class);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean queuedRan = new AtomicBoolean();
        pool.execute(() -> {
            started.countDown();
            sleepQuietly(Duration.ofMillis(50));
        });
        pool.execute(() -> queuedRan.set(true));
        started.await();

        assertThat(closeGiven.invoke(null, pool)).as("waited until every task ran").isEqualTo("closed, terminated");
        assertThat(queuedRan).isTrue();
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code static void sleep(Duration d) { Thread.sleep(d); }} and {@code static boolean join(Thread t, Duration d) { return t.join(d); }}. */
    private static byte[] durationCalls() {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS | ClassWriter.COMPUTE_FRAMES);
        writer.visit(Opcodes.V21, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, "gen/Durations", null, "java/lang/Object", null);
        MethodVisitor sleep = writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "sleep", "(Ljava/time/Duration;)V",
                null, new String[] {"java/lang/InterruptedException"});
        sleep.visitCode();
        sleep.visitVarInsn(Opcodes.ALOAD, 0);
        sleep.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Thread", "sleep", "(Ljava/time/Duration;)V", false);
        sleep.visitInsn(Opcodes.RETURN);
        sleep.visitMaxs(0, 0);
        sleep.visitEnd();
        MethodVisitor join = writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "join",
                "(Ljava/lang/Thread;Ljava/time/Duration;)Z", null, new String[] {"java/lang/InterruptedException"});
        join.visitCode();
        join.visitVarInsn(Opcodes.ALOAD, 0);
        join.visitVarInsn(Opcodes.ALOAD, 1);
        join.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/Thread", "join", "(Ljava/time/Duration;)Z", false);
        join.visitInsn(Opcodes.IRETURN);
        join.visitMaxs(0, 0);
        join.visitEnd();
        writer.visitEnd();
        return writer.toByteArray();
    }

    private InstrumentationResult instrumentTarget() {
        byte[] original = InstrumentingLoader.readClass(getClass().getClassLoader(), TARGET.replace('/', '.'));
        return new Instrumenter(ClassBytesSource.fromLoader(getClass().getClassLoader())).instrument(original);
    }

    private static Map<String, MethodNode> methods(byte[] bytes) {
        ClassNode node = new ClassNode();
        new ClassReader(bytes).accept(node, ClassReader.SKIP_FRAMES);
        return node.methods.stream().filter(m -> (m.access & Opcodes.ACC_SYNTHETIC) == 0)
                .collect(Collectors.toMap(m -> m.name, m -> m, (a, b) -> a));
    }

    private static List<String> calls(MethodNode method) {
        List<String> calls = new ArrayList<>();
        for (AbstractInsnNode insn : method.instructions) {
            if (insn instanceof MethodInsnNode call && !call.owner.equals("dev/stasis/rt/Stasis")
                    && !call.owner.equals("dev/stasis/rt/Frame")) {
                calls.add(call.owner + "." + call.name);
            }
        }
        return calls;
    }

    private static List<String> helperCalls(MethodNode method) {
        return calls(method).stream().filter(call -> call.startsWith(CALLS + ".")).toList();
    }

    private static List<String> originalCalls(MethodNode method) {
        return calls(method).stream().filter(call -> call.startsWith("java/util/concurrent/")
                || call.startsWith("java/lang/Thread.join")).toList();
    }
}
