package dev.stasis.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.rt.Frame;
import dev.stasis.rt.crac.CheckpointException;
import dev.stasis.rt.crac.CheckpointRestoreCall;
import java.util.ArrayList;
import java.util.List;
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
 * A call of {@code org.crac.Core.checkpointRestore()} becomes a wait the calling thread is captured in:
 * valid bytecode, the call's own handlers, the outcome thrown as {@code org.crac}'s exceptions, and a
 * relaunched thread that resumes in the wait and returns without a second checkpoint.
 */
class CheckpointRestoreCallTest {
    private static final String TARGET = "CheckpointRestoreTarget";
    private static final String CALL = "dev/stasis/rt/crac/CheckpointRestoreCall";

    private final ScriptedHandler handler = new ScriptedHandler();

    @BeforeEach
    void install() {
        Rewinding.install();
        CheckpointRestoreCall.install(handler);
    }

    @AfterEach
    void uninstall() {
        Rewinding.uninstall();
        CheckpointRestoreCall.install(new ScriptedHandler());
    }

    @Test
    void the_call_becomes_request_a_polled_wait_and_finish_inside_the_calls_own_try_block() {
        byte[] original = InstrumentingLoader.readClass(getClass().getClassLoader(), InstrumentingLoader.TARGETS + TARGET);
        InstrumentationResult result = new Instrumenter(ClassBytesSource.fromLoader(getClass().getClassLoader()))
                .instrument(original);
        InstrumentingLoader.verify(result.bytes(), getClass().getClassLoader());

        MethodNode run = method(result.bytes(), "run");
        List<String> calls = new ArrayList<>();
        MethodInsnNode finish = null;
        for (AbstractInsnNode insn : run.instructions) {
            if (insn instanceof MethodInsnNode call && (call.owner.equals(CALL) || call.owner.equals("org/crac/Core"))) {
                calls.add(call.owner + "." + call.name + call.desc);
                finish = call.name.equals("finish") ? call : finish;
            }
        }
        assertThat(calls).containsExactly(CALL + ".request()V", CALL + ".awaitDone()Z", CALL + ".finish(Ljava/lang/Class;)V");
        assertThat(result.instrumentedMethods()).as("entry, the wait loop, getSuppressed and getMessage in the handler")
                .containsEntry("dev/stasis/agent/instrument/targets/" + TARGET + ".run()Ljava/lang/String;", 4);
        int finishAt = run.instructions.indexOf(finish);
        assertThat(run.tryCatchBlocks).as("a handler of org.crac.CheckpointException covers finish")
                .anyMatch(block -> "org/crac/CheckpointException".equals(block.type) && covers(run, block, finishAt));
    }

    @Test
    void returns_after_the_wait_when_the_checkpoint_succeeded() throws Exception {
        handler.waitsBeforeDone = 3;

        assertThat(Rewinding.run(Rewinding.instrumented(TARGET))).isEqualTo("returned 42");
        assertThat(handler.requests).isEqualTo(1);
        assertThat(handler.waits).isEqualTo(4);
    }

    @Test
    void a_refused_checkpoint_is_thrown_as_org_crac_checkpoint_exception_with_its_suppressed_causes() throws Exception {
        handler.failure = new CheckpointException("refused");
        handler.failure.addSuppressed(new IllegalStateException("port busy"));

        assertThat(Rewinding.run(Rewinding.instrumented(TARGET))).isEqualTo("refused: port busy after 41");
    }

    @Test
    void the_thread_is_captured_in_the_wait_and_after_a_relaunch_returns_without_checkpointing_again() throws Exception {
        Class<?> target = Rewinding.instrumented(TARGET);
        handler.waitsBeforeDone = 1000; // still running when the thread is captured (before its first wait)

        Rewinding.ENGINE.arm(2, CaptureEngine.Mode.RELAUNCH); // poll 1: entry; poll 2: the wait loop
        assertThat(Rewinding.run(target)).as("the unwound entry's dummy").isNull();
        Rewinding.ENGINE.disarm();
        List<Frame> captured = Rewinding.ENGINE.captured();
        assertThat(captured).singleElement().satisfies(frame -> {
            assertThat(frame.point).as("the wait loop's point").isEqualTo(1);
            assertThat(frame.ints).containsExactly(41);
        });
        assertThat(handler.requests).isEqualTo(1);

        ScriptedHandler relaunched = new ScriptedHandler(); // a new process: no checkpoint of its own in flight
        CheckpointRestoreCall.install(relaunched);
        Rewinding.ENGINE.rewindCaptured();
        String result = Rewinding.run(target);

        assertThat(Rewinding.ENGINE.rewindFinished()).isTrue();
        assertThat(result).isEqualTo("returned 42");
        assertThat(relaunched.requests).as("no second checkpoint").isZero();
        assertThat(relaunched.finishes).isEqualTo(1);
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

    /** A runtime stand-in: counts the calls, reports done after some waits, and fails as told. */
    private static final class ScriptedHandler implements CheckpointRestoreCall.Handler {
        int waitsBeforeDone;
        CheckpointException failure;
        int requests;
        int waits;
        int finishes;

        @Override
        public void request() {
            requests++;
        }

        @Override
        public boolean awaitDone() {
            waits++;
            return requests == 0 || waits > waitsBeforeDone;
        }

        @Override
        public void finish() throws CheckpointException {
            finishes++;
            if (failure != null) {
                throw failure;
            }
        }
    }
}
