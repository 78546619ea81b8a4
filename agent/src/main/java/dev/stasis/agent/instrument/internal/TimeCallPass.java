package dev.stasis.agent.instrument.internal;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Puts the application's time on the offset clock ({@code dev.stasis.rt.Stasis.nanoTime()}), so that
 * deadlines held in frames keep their meaning across a relaunch, and makes {@code Thread.sleep} a place
 * where the sleeping thread can be captured:
 * <ul>
 *   <li>{@link #rewriteClock}: each {@code System.nanoTime()} becomes {@code Stasis.nanoTime()}, one
 *       instruction for one with the same descriptor, so it needs no new frames and applies to every
 *       method, constructors and static initialisers included;</li>
 *   <li>{@link #rewriteSleeps}: each {@code Thread.sleep(long)} and {@code Thread.sleep(long, int)} becomes
 *       <pre>
 *   long deadline = SleepCall.deadline(millis[, nanos]);   // a new local
 *   WAIT: if (!SleepCall.sleepUntil(deadline)) goto WAIT;</pre>
 *       in place, inside the call's own try/catch ranges. The backward jump makes {@code WAIT} a loop
 *       header, which {@link ContinuationPass} (run next) gives a poll; {@code sleepUntil} returns false as
 *       soon as a checkpoint is pending, so the thread is captured there with its deadline in a local.</li>
 * </ul>
 * Runs before {@link ContinuationPass}, also for frame layouts.
 */
public final class TimeCallPass {
    private static final String STASIS = "dev/stasis/rt/Stasis";
    private static final String SLEEP_CALL = "dev/stasis/rt/SleepCall";

    private TimeCallPass() {
    }

    /** Rewrites every {@code System.nanoTime()} in {@code method}; returns how many there were. */
    public static int rewriteClock(MethodNode method) {
        int rewritten = 0;
        for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn.getOpcode() == Opcodes.INVOKESTATIC && insn instanceof MethodInsnNode call
                    && "java/lang/System".equals(call.owner) && "nanoTime".equals(call.name) && "()J".equals(call.desc)) {
                call.owner = STASIS;
                call.itf = false;
                rewritten++;
            }
        }
        return rewritten;
    }

    /** Rewrites every {@code Thread.sleep} in {@code method}; returns how many there were. */
    public static int rewriteSleeps(MethodNode method) {
        int rewritten = 0;
        for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; ) {
            AbstractInsnNode next = insn.getNext();
            String deadlineDescriptor = deadlineDescriptorOf(insn);
            if (deadlineDescriptor != null) {
                int deadline = method.maxLocals;
                method.maxLocals += 2;
                method.instructions.insert(insn, replacement(deadlineDescriptor, deadline));
                method.instructions.remove(insn);
                rewritten++;
            }
            insn = next;
        }
        return rewritten;
    }

    /** The {@code SleepCall.deadline} overload for a sleep call, or null when {@code insn} is none. */
    private static String deadlineDescriptorOf(AbstractInsnNode insn) {
        if (insn.getOpcode() != Opcodes.INVOKESTATIC || !(insn instanceof MethodInsnNode call)
                || !"java/lang/Thread".equals(call.owner) || !"sleep".equals(call.name)) {
            return null;
        }
        return switch (call.desc) {
            case "(J)V" -> "(J)J";
            case "(JI)V" -> "(JI)J";
            default -> null; // sleep(Duration) (JDK 19+) is left as it is
        };
    }

    private static InsnList replacement(String deadlineDescriptor, int deadline) {
        InsnList code = new InsnList();
        LabelNode waiting = new LabelNode();
        code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, SLEEP_CALL, "deadline", deadlineDescriptor, false));
        code.add(new VarInsnNode(Opcodes.LSTORE, deadline));
        code.add(waiting);
        code.add(new VarInsnNode(Opcodes.LLOAD, deadline));
        code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, SLEEP_CALL, "sleepUntil", "(J)Z", false));
        code.add(new JumpInsnNode(Opcodes.IFEQ, waiting));
        return code;
    }
}
