package dev.stasis.agent.instrument.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;

/**
 * Which {@code monitorenter} instructions enclose each instruction of a method, found by following its control
 * flow from the entry, exception edges included. The answer is trusted only when every path agrees, as
 * HotSpot's JIT demands of a method it compiles (javac's {@code synchronized} blocks always do); otherwise the
 * method has no scopes at all and nothing is built on them.
 */
final class MonitorScopes {
    /** Per instruction: the enclosing monitorenters, outermost first; absent where unreachable. */
    private final Map<AbstractInsnNode, List<AbstractInsnNode>> scopes = new IdentityHashMap<>();

    /** Keyed by node, not index: the answers stay right while code is inserted afterwards. */
    private MonitorScopes(InsnList insns, List<List<AbstractInsnNode>> byIndex) {
        for (int i = 0; i < byIndex.size(); i++) {
            if (byIndex.get(i) != null) {
                scopes.put(insns.get(i), byIndex.get(i));
            }
        }
    }

    /** The scopes of {@code method}, or null when two paths reach an instruction inside different monitors. */
    static MonitorScopes of(MethodNode method) {
        InsnList insns = method.instructions;
        int size = insns.size();
        List<List<AbstractInsnNode>> scopes = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            scopes.add(null);
        }
        List<List<Integer>> handlers = handlersCovering(method);
        Deque<Integer> work = new ArrayDeque<>();
        if (size == 0) {
            return new MonitorScopes(insns, scopes);
        }
        scopes.set(0, List.of());
        work.add(0);
        while (!work.isEmpty()) {
            int index = work.poll();
            AbstractInsnNode insn = insns.get(index);
            List<AbstractInsnNode> in = scopes.get(index);
            List<AbstractInsnNode> out = in;
            if (insn.getOpcode() == Opcodes.MONITORENTER) {
                out = new ArrayList<>(in);
                out.add(insn);
            } else if (insn.getOpcode() == Opcodes.MONITOREXIT) {
                if (in.isEmpty()) {
                    return null;
                }
                out = in.subList(0, in.size() - 1);
            }
            for (int successor : successors(insns, insn, index)) {
                if (!merge(scopes, work, successor, out)) {
                    return null;
                }
            }
            if (insn.getOpcode() >= 0) { // a real instruction may throw: its handlers see the monitors before it
                for (int handler : handlers.get(index)) {
                    if (!merge(scopes, work, handler, in)) {
                        return null;
                    }
                }
            }
        }
        return new MonitorScopes(insns, scopes);
    }

    /** The monitorenters around {@code insn}, outermost first; null where it cannot be reached. */
    List<AbstractInsnNode> around(AbstractInsnNode insn) {
        return scopes.get(insn);
    }

    private static boolean merge(List<List<AbstractInsnNode>> scopes, Deque<Integer> work, int index,
            List<AbstractInsnNode> state) {
        List<AbstractInsnNode> known = scopes.get(index);
        if (known == null) {
            scopes.set(index, List.copyOf(state));
            work.add(index);
            return true;
        }
        return known.equals(state);
    }

    private static List<Integer> successors(InsnList insns, AbstractInsnNode insn, int index) {
        List<Integer> next = new ArrayList<>(2);
        if (insn instanceof JumpInsnNode jump) {
            next.add(insns.indexOf(jump.label));
            if (insn.getOpcode() != Opcodes.GOTO) {
                next.add(index + 1);
            }
            return next;
        }
        if (insn instanceof TableSwitchInsnNode table) {
            next.add(insns.indexOf(table.dflt));
            table.labels.forEach(label -> next.add(insns.indexOf(label)));
            return next;
        }
        if (insn instanceof LookupSwitchInsnNode lookup) {
            next.add(insns.indexOf(lookup.dflt));
            lookup.labels.forEach(label -> next.add(insns.indexOf(label)));
            return next;
        }
        int opcode = insn.getOpcode();
        if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN || opcode == Opcodes.ATHROW) {
            return next;
        }
        if (index + 1 < insns.size()) {
            next.add(index + 1);
        }
        return next;
    }

    /**
     * Per instruction index, the handler indices an exception there may reach: the try/catch ranges around it in
     * table order, up to the first catch-all, which takes everything (as the JVM picks, and as HotSpot's own
     * monitor matching follows). A {@code try} around a {@code synchronized} block covers the block's code too, but
     * only the block's catch-all, listed first, is ever reached from inside it.
     */
    private static List<List<Integer>> handlersCovering(MethodNode method) {
        InsnList insns = method.instructions;
        List<List<Integer>> handlers = new ArrayList<>(insns.size());
        boolean[] caughtAll = new boolean[insns.size()];
        for (int i = 0; i < insns.size(); i++) {
            handlers.add(new ArrayList<>(1));
        }
        for (TryCatchBlockNode block : method.tryCatchBlocks) {
            int handler = insns.indexOf(block.handler);
            for (int i = insns.indexOf(block.start); i < insns.indexOf(block.end); i++) {
                if (!caughtAll[i]) {
                    handlers.get(i).add(handler);
                    caughtAll[i] = block.type == null;
                }
            }
        }
        return handlers;
    }
}
