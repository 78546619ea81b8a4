package dev.stasis.agent.instrument.internal;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
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
 *       soon as a checkpoint is pending, so the thread is captured there with its deadline in a local.
 *       {@code TimeUnit.sleep(timeout)} and {@code Thread.sleep(Duration)} (JDK 19 and later) become the same
 *       loop, skipped where they return at once (see {@link #sleepOfNanos}).</li>
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

    /**
     * Rewrites every {@code Thread.sleep} (also {@code Thread.sleep(Duration)}, JDK 19 and later) and
     * {@code TimeUnit.sleep} in {@code method}; returns how many there were.
     */
    public static int rewriteSleeps(MethodNode method) {
        int rewritten = 0;
        for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; ) {
            AbstractInsnNode next = insn.getNext();
            InsnList replacement = replacementOf(method, insn);
            if (replacement != null) {
                method.maxStack += 4; // at most two longs above what the call had (a sleep length compared with 0)
                method.instructions.insert(insn, replacement);
                method.instructions.remove(insn);
                rewritten++;
            }
            insn = next;
        }
        return rewritten;
    }

    private static InsnList replacementOf(MethodNode method, AbstractInsnNode insn) {
        if (!(insn instanceof MethodInsnNode call) || !"sleep".equals(call.name)) {
            return null;
        }
        if (insn.getOpcode() == Opcodes.INVOKESTATIC && "java/lang/Thread".equals(call.owner)) {
            return switch (call.desc) {
                case "(J)V" -> replacement("(J)J", newLong(method));
                case "(JI)V" -> replacement("(JI)J", newLong(method));
                case "(Ljava/time/Duration;)V" -> sleepOfNanos("(Ljava/time/Duration;)J", newLong(method));
                default -> null;
            };
        }
        if (insn.getOpcode() == Opcodes.INVOKEVIRTUAL && "java/util/concurrent/TimeUnit".equals(call.owner)
                && "(J)V".equals(call.desc)) {
            return sleepOfNanos("(Ljava/util/concurrent/TimeUnit;J)J", newLong(method));
        }
        return null;
    }

    private static int newLong(MethodNode method) {
        int local = method.maxLocals;
        method.maxLocals += 2;
        return local;
    }

    /**
     * {@code TimeUnit.sleep(timeout)} and {@code Thread.sleep(Duration)}: {@code SleepCall.sleepNanos} gives
     * how long they sleep, or -1 when they return at once without looking at the interrupt; then the same
     * deadline loop. The length and then the deadline share one new local.
     * <pre>
     *   long d = SleepCall.sleepNanos(args);
     *   if (d < 0) goto DONE;
     *   d = SleepCall.deadlineAfter(d);
     *   WAIT: if (!SleepCall.sleepUntil(d)) goto WAIT;
     *   DONE:</pre>
     */
    private static InsnList sleepOfNanos(String nanosDescriptor, int deadline) {
        InsnList code = new InsnList();
        LabelNode done = new LabelNode();
        code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, SLEEP_CALL, "sleepNanos", nanosDescriptor, false));
        code.add(new VarInsnNode(Opcodes.LSTORE, deadline));
        code.add(new VarInsnNode(Opcodes.LLOAD, deadline));
        code.add(new InsnNode(Opcodes.LCONST_0));
        code.add(new InsnNode(Opcodes.LCMP));
        code.add(new JumpInsnNode(Opcodes.IFLT, done));
        code.add(new VarInsnNode(Opcodes.LLOAD, deadline));
        code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, SLEEP_CALL, "deadlineAfter", "(J)J", false));
        code.add(loop(deadline));
        code.add(done);
        return code;
    }

    private static InsnList replacement(String deadlineDescriptor, int deadline) {
        InsnList code = new InsnList();
        code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, SLEEP_CALL, "deadline", deadlineDescriptor, false));
        code.add(loop(deadline));
        return code;
    }

    /** Stores the deadline on the stack in {@code deadline} and sleeps until then in a loop with a poll. */
    private static InsnList loop(int deadline) {
        InsnList code = new InsnList();
        LabelNode waiting = new LabelNode();
        code.add(new VarInsnNode(Opcodes.LSTORE, deadline));
        code.add(waiting);
        code.add(new VarInsnNode(Opcodes.LLOAD, deadline));
        code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, SLEEP_CALL, "sleepUntil", "(J)Z", false));
        code.add(new JumpInsnNode(Opcodes.IFEQ, waiting));
        return code;
    }
}
