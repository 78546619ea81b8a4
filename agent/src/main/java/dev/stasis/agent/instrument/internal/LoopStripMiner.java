package dev.stasis.agent.instrument.internal;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Splits javac's counted loops into runs of at most {@link #STRIP} iterations, so that the loop poll
 * runs once per run instead of once per iteration. A poll inside the loop body, even a rare branch,
 * keeps C2 from unrolling the loop (3x on a prefix sum, see {@code LoopPollShapes} in
 * docs/PERFORMANCE.md); an inner loop without a poll stays a counted loop that C2 optimises as if
 * Stasis were not there.
 *
 * <p>The shape recognised is what javac emits for {@code for (...; i < bound; i += c)} and
 * {@code i <= bound}, with {@code c > 0}:
 * <pre>
 * H:    iload i; BOUND; if_icmpge EXIT      (if_icmpgt for &lt;=)
 *       body                                (never writes i or the bound's local)
 *       iinc i c
 *       goto H
 * </pre>
 * where BOUND is a constant, an int local, or the length of an array local. It becomes:
 * <pre>
 * H:    iload i; BOUND; if_icmpge EXIT      (the loop poll goes here, as before)
 *       limit = (int) min((long) i + STRIP, BOUND)
 * BODY: body
 *       iinc i c
 *       iload i; iload limit; if_icmplt BODY
 *       goto H
 * </pre>
 * This is the same program: on entry to BODY {@code i < limit <= BOUND}, so the original test holds,
 * and every exit of the inner loop goes back through the original test. Because {@code i} grows by
 * at least one per inner iteration and nothing else jumps into the body, the poll at H still runs
 * at least every {@link #STRIP} iterations. Loops of any other shape keep their poll on every
 * back-edge.
 */
final class LoopStripMiner {
    /**
     * Iterations between two polls when the body calls nothing: C2 strip-mines its own safepoint
     * polls by 1000, and a straight-line body of bytecode runs 4096 times in microseconds.
     */
    static final int STRIP = 4096;
    /**
     * Iterations between two polls when the body calls a method: a call may take long, so the run is
     * short, yet long enough to make the poll's share of an iteration negligible.
     */
    static final int STRIP_WITH_CALLS = 64;

    private final MethodNode method;
    private final InsnList insns;
    private final Set<LabelNode> innerHeaders = new LinkedHashSet<>();

    private LoopStripMiner(MethodNode method) {
        this.method = method;
        this.insns = method.instructions;
    }

    /**
     * Strip-mines every recognised loop of {@code method} in place, taking one new int local per
     * loop, and returns the labels of the inner loops: back-edge targets that must get no poll.
     */
    static Set<LabelNode> stripMine(MethodNode method) {
        LoopStripMiner miner = new LoopStripMiner(method);
        for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn.getOpcode() == Opcodes.GOTO) {
                miner.tryLoop((JumpInsnNode) insn);
            }
        }
        return miner.innerHeaders;
    }

    /** The parts of a recognised loop. */
    private record CountedLoop(LabelNode header, VarInsnNode counter, InsnList bound, int boundLocal,
            JumpInsnNode exitTest, IincInsnNode increment, JumpInsnNode backEdge, boolean hasCalls) {
    }

    private void tryLoop(JumpInsnNode backEdge) {
        CountedLoop loop = recognise(backEdge);
        if (loop != null) {
            rewrite(loop);
        }
    }

    private CountedLoop recognise(JumpInsnNode backEdge) {
        LabelNode header = backEdge.label;
        if (insns.indexOf(header) >= insns.indexOf(backEdge)) {
            return null;
        }
        AbstractInsnNode first = nextReal(header);
        if (first == null || first.getOpcode() != Opcodes.ILOAD) {
            return null;
        }
        VarInsnNode counter = (VarInsnNode) first;
        AbstractInsnNode afterBound = nextReal(first);
        InsnList bound = new InsnList();
        int boundLocal = -1;
        if (afterBound == null) {
            return null;
        }
        if (isIntConstant(afterBound)) {
            bound.add(afterBound.clone(null));
            afterBound = nextReal(afterBound);
        } else if (afterBound.getOpcode() == Opcodes.ILOAD) {
            boundLocal = ((VarInsnNode) afterBound).var;
            bound.add(new VarInsnNode(Opcodes.ILOAD, boundLocal));
            afterBound = nextReal(afterBound);
        } else if (afterBound.getOpcode() == Opcodes.ALOAD
                && nextReal(afterBound) != null && nextReal(afterBound).getOpcode() == Opcodes.ARRAYLENGTH) {
            boundLocal = ((VarInsnNode) afterBound).var;
            bound.add(new VarInsnNode(Opcodes.ALOAD, boundLocal));
            bound.add(new InsnNode(Opcodes.ARRAYLENGTH));
            afterBound = nextReal(nextReal(afterBound));
        } else {
            return null;
        }
        if (afterBound == null || boundLocal == counter.var
                || (afterBound.getOpcode() != Opcodes.IF_ICMPGE && afterBound.getOpcode() != Opcodes.IF_ICMPGT)) {
            return null;
        }
        JumpInsnNode exitTest = (JumpInsnNode) afterBound;
        if (insns.indexOf(exitTest.label) <= insns.indexOf(backEdge)) {
            return null;
        }
        AbstractInsnNode beforeBackEdge = previousReal(backEdge);
        if (!(beforeBackEdge instanceof IincInsnNode increment) || increment.var != counter.var
                || increment.incr <= 0) {
            return null;
        }
        if (!bodyKeepsShape(exitTest, increment, backEdge, counter.var, boundLocal)) {
            return null;
        }
        return new CountedLoop(header, counter, bound, boundLocal, exitTest, increment, backEdge,
                hasCalls(exitTest, backEdge));
    }

    /**
     * The body neither writes the counter (but for the final increment) nor the bound's local, and
     * nothing outside the loop jumps into it, nor does anything jump between the increment and the
     * back-edge (such a path would skip the increment).
     */
    private boolean bodyKeepsShape(JumpInsnNode exitTest, IincInsnNode increment, JumpInsnNode backEdge,
            int counter, int boundLocal) {
        int from = insns.indexOf(exitTest);
        int to = insns.indexOf(backEdge);
        Set<LabelNode> inside = new HashSet<>();
        for (AbstractInsnNode insn = exitTest.getNext(); insn != backEdge; insn = insn.getNext()) {
            if (insn instanceof LabelNode label) {
                inside.add(label);
            }
            if (insn != increment && writes(insn, counter)) {
                return false;
            }
            if (boundLocal >= 0 && writes(insn, boundLocal)) {
                return false;
            }
        }
        for (AbstractInsnNode insn = increment.getNext(); insn != backEdge; insn = insn.getNext()) {
            if (insn instanceof LabelNode label && isJumpTarget(label)) {
                return false;
            }
        }
        for (AbstractInsnNode insn = insns.getFirst(); insn != null; insn = insn.getNext()) {
            int at = insns.indexOf(insn);
            if ((at < from || at > to) && targetsAny(insn, inside)) {
                return false;
            }
        }
        for (TryCatchBlockNode block : method.tryCatchBlocks) {
            if (inside.contains(block.handler) && !(inside.contains(block.start) && inside.contains(block.end))) {
                return false;
            }
        }
        return true;
    }

    private void rewrite(CountedLoop loop) {
        int limit = method.maxLocals;
        method.maxLocals = limit + 1;
        boolean inclusive = loop.exitTest().getOpcode() == Opcodes.IF_ICMPGT;
        int strip = loop.hasCalls() ? STRIP_WITH_CALLS : STRIP;

        InsnList setLimit = new InsnList();
        setLimit.add(new VarInsnNode(Opcodes.ILOAD, loop.counter().var));
        setLimit.add(new InsnNode(Opcodes.I2L));
        setLimit.add(new LdcInsnNode((long) (inclusive ? strip - 1 : strip)));
        setLimit.add(new InsnNode(Opcodes.LADD));
        setLimit.add(copy(loop.bound()));
        setLimit.add(new InsnNode(Opcodes.I2L));
        setLimit.add(new MethodInsnNode(Opcodes.INVOKESTATIC, "java/lang/Math", "min", "(JJ)J", false));
        setLimit.add(new InsnNode(Opcodes.L2I));
        setLimit.add(new VarInsnNode(Opcodes.ISTORE, limit));
        LabelNode body = new LabelNode();
        setLimit.add(body);
        insns.insert(loop.exitTest(), setLimit);

        InsnList innerTest = new InsnList();
        innerTest.add(new VarInsnNode(Opcodes.ILOAD, loop.counter().var));
        innerTest.add(new VarInsnNode(Opcodes.ILOAD, limit));
        innerTest.add(new JumpInsnNode(inclusive ? Opcodes.IF_ICMPLE : Opcodes.IF_ICMPLT, body));
        insns.insertBefore(loop.backEdge(), innerTest);
        innerHeaders.add(body);
    }

    private boolean hasCalls(AbstractInsnNode from, AbstractInsnNode to) {
        for (AbstractInsnNode insn = from; insn != to; insn = insn.getNext()) {
            if (insn instanceof MethodInsnNode || insn.getOpcode() == Opcodes.INVOKEDYNAMIC) {
                return true;
            }
        }
        return false;
    }

    private boolean isJumpTarget(LabelNode label) {
        for (AbstractInsnNode insn = insns.getFirst(); insn != null; insn = insn.getNext()) {
            if (targetsAny(insn, Set.of(label))) {
                return true;
            }
        }
        for (TryCatchBlockNode block : method.tryCatchBlocks) {
            if (block.handler == label) {
                return true;
            }
        }
        return false;
    }

    private static boolean targetsAny(AbstractInsnNode insn, Set<LabelNode> labels) {
        if (insn instanceof JumpInsnNode jump) {
            return labels.contains(jump.label);
        }
        if (insn instanceof TableSwitchInsnNode table) {
            return labels.contains(table.dflt) || table.labels.stream().anyMatch(labels::contains);
        }
        if (insn instanceof LookupSwitchInsnNode lookup) {
            return labels.contains(lookup.dflt) || lookup.labels.stream().anyMatch(labels::contains);
        }
        return false;
    }

    private static boolean writes(AbstractInsnNode insn, int local) {
        if (insn instanceof IincInsnNode increment) {
            return increment.var == local;
        }
        if (insn instanceof VarInsnNode var) {
            int opcode = var.getOpcode();
            return opcode >= Opcodes.ISTORE && opcode <= Opcodes.ASTORE
                    && (var.var == local || (isWide(opcode) && var.var + 1 == local));
        }
        return false;
    }

    private static boolean isWide(int storeOpcode) {
        return storeOpcode == Opcodes.LSTORE || storeOpcode == Opcodes.DSTORE;
    }

    private static boolean isIntConstant(AbstractInsnNode insn) {
        int opcode = insn.getOpcode();
        return (opcode >= Opcodes.ICONST_M1 && opcode <= Opcodes.ICONST_5)
                || (insn instanceof IntInsnNode && opcode != Opcodes.NEWARRAY)
                || (insn instanceof LdcInsnNode ldc && ldc.cst instanceof Integer);
    }

    private static InsnList copy(InsnList list) {
        InsnList copy = new InsnList();
        for (AbstractInsnNode insn = list.getFirst(); insn != null; insn = insn.getNext()) {
            copy.add(insn.clone(null));
        }
        return copy;
    }

    /** The next instruction that is not a label, line number or frame. */
    private static AbstractInsnNode nextReal(AbstractInsnNode insn) {
        AbstractInsnNode next = insn.getNext();
        while (next != null && next.getOpcode() < 0) {
            next = next.getNext();
        }
        return next;
    }

    private static AbstractInsnNode previousReal(AbstractInsnNode insn) {
        AbstractInsnNode previous = insn.getPrevious();
        while (previous != null && previous.getOpcode() < 0) {
            previous = previous.getPrevious();
        }
        return previous;
    }
}
