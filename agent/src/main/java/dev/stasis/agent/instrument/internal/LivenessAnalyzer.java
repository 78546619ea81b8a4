package dev.stasis.agent.instrument.internal;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Which local slots may still be read before being written, before each instruction. A point saves
 * only those: dead values (an earlier call's stash, a finished loop's counter) would only make the
 * cold code larger and drag unrelated objects into a snapshot.
 */
public final class LivenessAnalyzer {
    private LivenessAnalyzer() {
    }

    /** Live slots before each instruction, indexed like {@code method.instructions}. */
    public static BitSet[] liveBefore(MethodNode method) {
        InsnList insns = method.instructions;
        int size = insns.size();
        List<List<Integer>> successors = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            successors.add(successorsOf(insns, insns.get(i), i));
        }
        List<List<Integer>> handlers = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            handlers.add(new ArrayList<>());
        }
        for (TryCatchBlockNode block : method.tryCatchBlocks) {
            int start = insns.indexOf(block.start);
            int end = insns.indexOf(block.end);
            int handler = insns.indexOf(block.handler);
            for (int i = start; i < end; i++) {
                handlers.get(i).add(handler);
            }
        }
        BitSet[] live = new BitSet[size];
        for (int i = 0; i < size; i++) {
            live[i] = new BitSet();
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int i = size - 1; i >= 0; i--) {
                AbstractInsnNode insn = insns.get(i);
                BitSet in = new BitSet();
                for (int successor : successors.get(i)) {
                    in.or(live[successor]);
                }
                int defined = definedSlot(insn);
                if (defined >= 0) {
                    in.clear(defined);
                }
                int used = usedSlot(insn);
                if (used >= 0) {
                    in.set(used);
                }
                for (int handler : handlers.get(i)) {
                    in.or(live[handler]);
                }
                if (!in.equals(live[i])) {
                    live[i] = in;
                    changed = true;
                }
            }
        }
        return live;
    }

    private static List<Integer> successorsOf(InsnList insns, AbstractInsnNode insn, int index) {
        List<Integer> result = new ArrayList<>(2);
        if (insn instanceof JumpInsnNode jump) {
            result.add(insns.indexOf(jump.label));
        } else if (insn instanceof TableSwitchInsnNode table) {
            result.add(insns.indexOf(table.dflt));
            table.labels.forEach(label -> result.add(insns.indexOf(label)));
        } else if (insn instanceof LookupSwitchInsnNode lookup) {
            result.add(insns.indexOf(lookup.dflt));
            lookup.labels.forEach(label -> result.add(insns.indexOf(label)));
        }
        if (fallsThrough(insn.getOpcode()) && index + 1 < insns.size()) {
            result.add(index + 1);
        }
        return result;
    }

    private static boolean fallsThrough(int opcode) {
        return switch (opcode) {
            case Opcodes.GOTO, Opcodes.TABLESWITCH, Opcodes.LOOKUPSWITCH, Opcodes.ATHROW, Opcodes.IRETURN,
                    Opcodes.LRETURN, Opcodes.FRETURN, Opcodes.DRETURN, Opcodes.ARETURN, Opcodes.RETURN,
                    Opcodes.RET -> false;
            default -> true;
        };
    }

    private static int usedSlot(AbstractInsnNode insn) {
        if (insn instanceof IincInsnNode iinc) {
            return iinc.var;
        }
        int opcode = insn.getOpcode();
        if (insn instanceof VarInsnNode var && (opcode >= Opcodes.ILOAD && opcode <= Opcodes.ALOAD
                || opcode == Opcodes.RET)) {
            return var.var;
        }
        return -1;
    }

    private static int definedSlot(AbstractInsnNode insn) {
        int opcode = insn.getOpcode();
        if (insn instanceof VarInsnNode var && opcode >= Opcodes.ISTORE && opcode <= Opcodes.ASTORE) {
            return var.var;
        }
        return -1;
    }
}
