package dev.stasis.agent.instrument.internal;

import java.util.Map;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Makes the waits that return holding a lock places where the waiting thread can be captured, holding
 * nothing: {@code Condition.await*}, {@code Object.wait*} and {@code CyclicBarrier.await*}. Each call
 * becomes, in place and inside the call's own try/catch ranges,
 * <pre>
 *   Object[] call = XCalls.begin(receiver, arguments...);   // a new local
 *   WAIT: if (!XCalls.await(call)) goto WAIT;
 *   [result = XCalls.result(call)]</pre>
 * with {@code XCalls} one of {@code dev.stasis.rt.ConditionCalls}, {@code ObjectWaitCalls} and
 * {@code BarrierCalls} (their javadoc says how the lock is let go and taken again). The backward jump
 * makes {@code WAIT} a loop header, which {@link ContinuationPass} (run next) gives a poll.
 *
 * <p>Inside a {@code synchronized} block the rewritten wait reaches its poll holding the block's monitor.
 * When the block is the waited monitor's and has javac's shape, {@link ContinuationPass} (through
 * {@link BlockWaits}) makes the save path exit it and the way back enter it again, and turns {@code begin}
 * into {@code beginInBlock}; any other wait in a block is refused a capture at its poll
 * ({@code StackInspector}), so a checkpoint fails after its timeout with a message naming the thread, the
 * monitor and the frame; meanwhile the wait only returns spuriously. See ARCHITECTURE.md, "Blocking calls".
 * Runs before {@link ContinuationPass}, also for frame layouts, after {@link TimeCallPass}.
 */
public final class WaitCallPass {
    private static final String RT = "dev/stasis/rt/";
    private static final String CONDITION = "java/util/concurrent/locks/Condition";
    private static final String CONDITION_DESC = "L" + CONDITION + ";";
    private static final String CALL = "[Ljava/lang/Object;";
    private static final String BARRIER = "java/util/concurrent/CyclicBarrier";

    /** What one kind of call becomes: the helper's begin method and how the result is read back. */
    private record Replacement(String helper, String begin, String beginDesc, String resultMethod, String resultDesc) {
    }

    private static final Map<String, Replacement> CONDITION_CALLS = Map.of(
            "await()V", conditionCall("begin", "", null, null),
            "awaitUninterruptibly()V", conditionCall("beginUninterruptibly", "", null, null),
            "awaitNanos(J)J", conditionCall("beginNanos", "J", "remainingNanos", "J"),
            "await(JLjava/util/concurrent/TimeUnit;)Z", conditionCall("begin", "JLjava/util/concurrent/TimeUnit;", "inTime", "Z"),
            "awaitUntil(Ljava/util/Date;)Z", conditionCall("beginUntil", "Ljava/util/Date;", "inTime", "Z"));
    /** The JDK's condition classes, for calls compiled against them rather than the interface. */
    private static final Set<String> CONDITION_CLASSES = Set.of(
            "java/util/concurrent/locks/AbstractQueuedSynchronizer$ConditionObject",
            "java/util/concurrent/locks/AbstractQueuedLongSynchronizer$ConditionObject");
    private static final Map<String, Replacement> WAIT_CALLS = Map.of(
            "wait()V", new Replacement(RT + "ObjectWaitCalls", "begin", "(Ljava/lang/Object;)" + CALL, null, null),
            "wait(J)V", new Replacement(RT + "ObjectWaitCalls", "begin", "(Ljava/lang/Object;J)" + CALL, null, null),
            "wait(JI)V", new Replacement(RT + "ObjectWaitCalls", "begin", "(Ljava/lang/Object;JI)" + CALL, null, null));
    private static final Map<String, Replacement> BARRIER_CALLS = Map.of(
            "await()I", new Replacement(RT + "BarrierCalls", "begin", "(L" + BARRIER + ";)" + CALL, "index", "I"),
            "await(JLjava/util/concurrent/TimeUnit;)I", new Replacement(RT + "BarrierCalls", "begin",
                    "(L" + BARRIER + ";JLjava/util/concurrent/TimeUnit;)" + CALL, "index", "I"));

    private WaitCallPass() {
    }

    private static Replacement conditionCall(String begin, String arguments, String resultMethod, String resultType) {
        return new Replacement(RT + "ConditionCalls", begin, "(" + CONDITION_DESC + arguments + ")" + CALL,
                resultMethod, resultType);
    }

    /** Rewrites every such wait in {@code method}; returns how many there were. */
    public static int rewrite(MethodNode method) {
        int rewritten = 0;
        for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; ) {
            AbstractInsnNode next = insn.getNext();
            Replacement replacement = replacementOf(insn);
            if (replacement != null) {
                int call = method.maxLocals;
                method.maxLocals += 1;
                method.instructions.insert(insn, loop(replacement, call));
                method.instructions.remove(insn);
                rewritten++;
            }
            insn = next;
        }
        return rewritten;
    }

    /** The replacement for a wait call, or null when {@code insn} is none. */
    private static Replacement replacementOf(AbstractInsnNode insn) {
        if (!(insn instanceof MethodInsnNode call)) {
            return null;
        }
        String signature = call.name + call.desc;
        return switch (insn.getOpcode()) {
            case Opcodes.INVOKEINTERFACE -> CONDITION.equals(call.owner) ? CONDITION_CALLS.get(signature) : null;
            // Object.wait is final: whatever class the call names, it is Object's.
            case Opcodes.INVOKEVIRTUAL -> CONDITION_CLASSES.contains(call.owner) ? CONDITION_CALLS.get(signature)
                    : BARRIER.equals(call.owner) ? BARRIER_CALLS.get(signature)
                    : !call.owner.startsWith("[") ? WAIT_CALLS.get(signature) : null;
            default -> null;
        };
    }

    private static InsnList loop(Replacement replacement, int call) {
        InsnList code = new InsnList();
        LabelNode waiting = new LabelNode();
        code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, replacement.helper(), replacement.begin(),
                replacement.beginDesc(), false));
        code.add(new VarInsnNode(Opcodes.ASTORE, call));
        code.add(waiting);
        code.add(new VarInsnNode(Opcodes.ALOAD, call));
        code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, replacement.helper(), "await", "(" + CALL + ")Z", false));
        code.add(new JumpInsnNode(Opcodes.IFEQ, waiting));
        if (replacement.resultMethod() != null) {
            code.add(new VarInsnNode(Opcodes.ALOAD, call));
            code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, replacement.helper(), replacement.resultMethod(),
                    "(" + CALL + ")" + replacement.resultDesc(), false));
        }
        return code;
    }
}
