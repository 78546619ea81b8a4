package dev.stasis.agent.instrument.internal;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Turns each call of {@code org.crac.Core.checkpointRestore()} into a checkpoint the calling thread
 * itself is captured in. A thread inside {@code org.crac}'s code could never be captured (its frames
 * are not instrumented), so the call becomes
 * <pre>
 *   CheckpointRestoreCall.request();
 *   WAIT: if (!CheckpointRestoreCall.awaitDone()) goto WAIT;
 *   CheckpointRestoreCall.finish(ThisClass.class);
 * </pre>
 * in place, inside the call's own try/catch ranges. The backward jump makes {@code WAIT} a loop header,
 * which {@link ContinuationPass} (run next) gives a poll: the checkpoint captures the thread there, and
 * a relaunched thread resumes there. {@code finish} throws {@code org.crac}'s exceptions as the caller's
 * loader sees them, hence the class constant. Runs before {@link ContinuationPass}, also for frame layouts.
 */
public final class CheckpointRestoreCallPass {
    private static final String CORE = "org/crac/Core";
    private static final String CALL = "dev/stasis/rt/crac/CheckpointRestoreCall";
    /** {@code ldc} of a class constant needs class file version 49. */
    private static final int CLASS_CONSTANTS = Opcodes.V1_5;

    private CheckpointRestoreCallPass() {
    }

    /** Rewrites every call in {@code method}; returns how many there were. */
    public static int rewrite(String owner, int classVersion, MethodNode method) {
        int rewritten = 0;
        for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; ) {
            AbstractInsnNode next = insn.getNext();
            if (isCheckpointRestore(insn)) {
                method.instructions.insert(insn, replacement(owner, classVersion));
                method.instructions.remove(insn);
                rewritten++;
            }
            insn = next;
        }
        return rewritten;
    }

    private static boolean isCheckpointRestore(AbstractInsnNode insn) {
        return insn.getOpcode() == Opcodes.INVOKESTATIC && insn instanceof MethodInsnNode call
                && CORE.equals(call.owner) && "checkpointRestore".equals(call.name) && "()V".equals(call.desc);
    }

    private static InsnList replacement(String owner, int classVersion) {
        InsnList code = new InsnList();
        LabelNode waiting = new LabelNode();
        code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, CALL, "request", "()V", false));
        code.add(waiting);
        code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, CALL, "awaitDone", "()Z", false));
        code.add(new JumpInsnNode(Opcodes.IFEQ, waiting));
        if ((classVersion & 0xFFFF) >= CLASS_CONSTANTS) {
            code.add(new LdcInsnNode(Type.getObjectType(owner)));
        } else {
            code.add(new InsnNode(Opcodes.ACONST_NULL)); // finish then resolves org.crac through the system loader
        }
        code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, CALL, "finish", "(Ljava/lang/Class;)V", false));
        return code;
    }
}
