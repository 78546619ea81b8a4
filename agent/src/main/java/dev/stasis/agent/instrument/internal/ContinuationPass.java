package dev.stasis.agent.instrument.internal;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;

/**
 * Gives one method its continuation points (see "The instrumentation protocol" in
 * docs/ARCHITECTURE.md): an entry poll, a poll per loop header, a check after every call that may
 * reach instrumented code, and, appended after the original code, the cold blocks that save a point
 * into a {@code dev.stasis.rt.Frame} and restore it.
 */
public final class ContinuationPass {
    /** A continuation point after analysis: its state, where restoring resumes, and its slow block. */
    private record Point(PointState state, LabelNode resume, InsnList slowPath) {
    }

    private final String owner;
    private final MethodNode method;
    private final ClassHierarchy hierarchy;
    private final String key;

    private ContinuationPass(String owner, MethodNode method, ClassHierarchy hierarchy, String key) {
        this.owner = owner;
        this.method = method;
        this.hierarchy = hierarchy;
        this.key = key;
    }

    /**
     * Rewrites {@code method} in place and returns its number of points, or 0 when it has neither a
     * call point nor a loop and is left untouched. On an exception the method may be half rewritten:
     * callers work on a copy.
     */
    public static int instrument(String owner, MethodNode method, ClassHierarchy hierarchy, String key)
            throws UninstrumentableException, AnalyzerException {
        return new ContinuationPass(owner, method, hierarchy, key).run();
    }

    private int run() throws UninstrumentableException, AnalyzerException {
        InsnList insns = method.instructions;
        List<AbstractInsnNode> calls = new ArrayList<>();
        for (AbstractInsnNode insn = insns.getFirst(); insn != null; insn = insn.getNext()) {
            if (CallPointPolicy.isCallPoint(insn)) {
                calls.add(insn);
            }
        }
        List<LabelNode> headers = loopHeaders(insns);
        if (calls.isEmpty() && headers.isEmpty()) {
            return 0;
        }
        int base = method.maxLocals;
        Set<AbstractInsnNode> pointInsns = new LinkedHashSet<>(headers);
        pointInsns.addAll(calls);
        int tempSlots = NewRelocationPass.relocate(owner, method, pointInsns, base);
        List<LabelNode> callLabels = new ArrayList<>();
        for (AbstractInsnNode call : calls) {
            LabelNode callLabel = new LabelNode();
            tempSlots = Math.max(tempSlots, stash(call, callLabel, base));
            callLabels.add(callLabel);
        }
        method.maxLocals = base + tempSlots;
        method.maxStack = Math.max(method.maxStack, 1);
        Frame<BasicValue>[] frames = new Analyzer<>(new HierarchyVerifier(hierarchy, Type.getObjectType(owner)))
                .analyze(owner, method);
        // Read every state before inserting code: frames are indexed by the current instruction order.
        BitSet[] live = LivenessAnalyzer.liveBefore(method);
        List<PointState> headerStates = statesAt(headers, frames, live);
        List<PointState> callStates = statesAt(callLabels, frames, live);

        int frameLocal = method.maxLocals;
        int spillBase = frameLocal + 1;
        Type returnType = Type.getReturnType(method.desc);
        LabelNode redispatch = new LabelNode();
        LabelNode unwind = new LabelNode();
        List<Point> points = new ArrayList<>();

        LabelNode body = new LabelNode();
        LabelNode entrySlow = new LabelNode();
        LabelNode dispatch = new LabelNode();
        PointState entry = PointState.ofEntry(owner, method.access, method.desc);
        InsnList entrySlowPath = new InsnList();
        entrySlowPath.add(entrySlow);
        entrySlowPath.add(new LdcInsnNode(key));
        entrySlowPath.add(FrameCodeGenerator.callStasis("enter", "(Ljava/lang/String;)" + FrameCodeGenerator.FRAME_DESC));
        entrySlowPath.add(new VarInsnNode(Opcodes.ASTORE, frameLocal));
        entrySlowPath.add(new VarInsnNode(Opcodes.ALOAD, frameLocal));
        entrySlowPath.add(new JumpInsnNode(Opcodes.IFNONNULL, dispatch));
        entrySlowPath.add(FrameCodeGenerator.callStasis("poll", "()Z"));
        entrySlowPath.add(new JumpInsnNode(Opcodes.IFEQ, body));
        entrySlowPath.add(FrameCodeGenerator.save(entry, key, 0, frameLocal, spillBase, unwind));
        points.add(new Point(entry, body, entrySlowPath));

        for (int i = 0; i < headers.size(); i++) {
            LabelNode header = headers.get(i);
            PointState state = headerStates.get(i);
            if (state == null) {
                continue;
            }
            LabelNode cont = new LabelNode();
            LabelNode slow = new LabelNode();
            InsnList check = FrameCodeGenerator.pendingCheck(slow);
            check.add(cont);
            insns.insert(header, check);
            InsnList slowPath = new InsnList();
            slowPath.add(slow);
            slowPath.add(FrameCodeGenerator.callStasis("poll", "()Z"));
            slowPath.add(new JumpInsnNode(Opcodes.IFEQ, cont));
            slowPath.add(FrameCodeGenerator.save(state, key, points.size(), frameLocal, spillBase, unwind));
            points.add(new Point(state, cont, slowPath));
        }
        for (int i = 0; i < calls.size(); i++) {
            LabelNode callLabel = callLabels.get(i);
            PointState state = callStates.get(i);
            if (state == null) {
                continue;
            }
            LabelNode after = new LabelNode();
            LabelNode slow = new LabelNode();
            InsnList check = FrameCodeGenerator.pendingCheck(slow);
            check.add(after);
            insns.insert(calls.get(i), check);
            InsnList slowPath = new InsnList();
            slowPath.add(slow);
            slowPath.add(FrameCodeGenerator.callStasis("unwinding", "()Z"));
            slowPath.add(new JumpInsnNode(Opcodes.IFEQ, after));
            int resultSize = resultSize(calls.get(i));
            if (resultSize > 0) {
                slowPath.add(new InsnNode(resultSize == 2 ? Opcodes.POP2 : Opcodes.POP));
            }
            slowPath.add(FrameCodeGenerator.save(state, key, points.size(), frameLocal, spillBase, unwind));
            points.add(new Point(state, callLabel, slowPath));
        }

        InsnList cold = new InsnList();
        points.forEach(point -> cold.add(point.slowPath()));
        cold.add(FrameCodeGenerator.unwindTail(unwind, frameLocal, redispatch, returnType));
        LabelNode bad = new LabelNode();
        cold.add(redispatch);
        cold.add(new LdcInsnNode(key));
        cold.add(FrameCodeGenerator.callStasis("enter", "(Ljava/lang/String;)" + FrameCodeGenerator.FRAME_DESC));
        cold.add(new VarInsnNode(Opcodes.ASTORE, frameLocal));
        cold.add(new VarInsnNode(Opcodes.ALOAD, frameLocal));
        cold.add(new JumpInsnNode(Opcodes.IFNULL, bad));
        cold.add(dispatch);
        cold.add(new VarInsnNode(Opcodes.ALOAD, frameLocal));
        cold.add(new FieldInsnNode(Opcodes.GETFIELD, FrameCodeGenerator.FRAME, "point", "I"));
        LabelNode[] restores = new LabelNode[points.size()];
        for (int k = 0; k < restores.length; k++) {
            restores[k] = new LabelNode();
        }
        cold.add(new TableSwitchInsnNode(0, points.size() - 1, bad, restores));
        for (int k = 0; k < restores.length; k++) {
            cold.add(restores[k]);
            cold.add(FrameCodeGenerator.restore(points.get(k).state(), frameLocal, points.get(k).resume(),
                    this::castable));
        }
        cold.add(bad);
        cold.add(FrameCodeGenerator.fail("stasis: cannot rewind " + key + ": the runtime handed no frame or a frame"
                + " with an unknown point; the snapshot does not match this code"));

        InsnList prologue = FrameCodeGenerator.pendingCheck(entrySlow);
        prologue.add(body);
        insns.insert(prologue);
        insns.add(cold);
        method.maxLocals = spillBase + maxStackSlots(points);
        return points.size();
    }

    /** The type a restored reference is cast to: the analysed one, made nameable from this class. */
    private Type castable(Type type) {
        if (type.getSort() == Type.OBJECT) {
            return Type.getObjectType(hierarchy.accessibleAncestor(type.getInternalName(), owner));
        }
        Type element = type.getElementType();
        if (element.getSort() != Type.OBJECT) {
            return type;
        }
        String accessible = hierarchy.accessibleAncestor(element.getInternalName(), owner);
        return Type.getType("[".repeat(type.getDimensions()) + Type.getObjectType(accessible).getDescriptor());
    }

    /** The state at each label, null where the code is unreachable. */
    private List<PointState> statesAt(List<LabelNode> labels, Frame<BasicValue>[] frames, BitSet[] live) {
        List<PointState> states = new ArrayList<>();
        for (LabelNode label : labels) {
            int index = method.instructions.indexOf(label);
            states.add(frames[index] == null ? null : PointState.of(frames[index], live[index]));
        }
        return states;
    }

    /** Labels that a backward jump targets: the header of every loop. */
    private static List<LabelNode> loopHeaders(InsnList insns) {
        Set<LabelNode> headers = new LinkedHashSet<>();
        for (AbstractInsnNode insn = insns.getFirst(); insn != null; insn = insn.getNext()) {
            List<LabelNode> targets = new ArrayList<>();
            if (insn instanceof JumpInsnNode jump) {
                targets.add(jump.label);
            } else if (insn instanceof TableSwitchInsnNode table) {
                targets.add(table.dflt);
                targets.addAll(table.labels);
            } else if (insn instanceof LookupSwitchInsnNode lookup) {
                targets.add(lookup.dflt);
                targets.addAll(lookup.labels);
            }
            int at = insns.indexOf(insn);
            for (LabelNode target : targets) {
                if (insns.indexOf(target) <= at) {
                    headers.add(target);
                }
            }
        }
        List<LabelNode> ordered = new ArrayList<>(headers);
        ordered.sort((a, b) -> Integer.compare(insns.indexOf(a), insns.indexOf(b)));
        return ordered;
    }

    /**
     * Stores the receiver and arguments of {@code call} into locals from {@code base} and loads them
     * back, with {@code callLabel} in between: restoring jumps there, after reloading the stash.
     * Returns the number of slots used.
     */
    private int stash(AbstractInsnNode call, LabelNode callLabel, int base) {
        String desc = call instanceof org.objectweb.asm.tree.MethodInsnNode m ? m.desc
                : ((org.objectweb.asm.tree.InvokeDynamicInsnNode) call).desc;
        boolean hasReceiver = call.getOpcode() != Opcodes.INVOKESTATIC && call.getOpcode() != Opcodes.INVOKEDYNAMIC;
        List<Type> types = new ArrayList<>();
        if (hasReceiver) {
            types.add(Type.getObjectType("java/lang/Object"));
        }
        types.addAll(List.of(Type.getArgumentTypes(desc)));
        int[] slots = new int[types.size()];
        int next = base;
        for (int i = 0; i < types.size(); i++) {
            slots[i] = next;
            next += types.get(i).getSize();
        }
        InsnList code = new InsnList();
        for (int i = types.size() - 1; i >= 0; i--) {
            code.add(new VarInsnNode(types.get(i).getOpcode(Opcodes.ISTORE), slots[i]));
        }
        code.add(callLabel);
        for (int i = 0; i < types.size(); i++) {
            code.add(new VarInsnNode(types.get(i).getOpcode(Opcodes.ILOAD), slots[i]));
        }
        method.instructions.insertBefore(call, code);
        return next - base;
    }

    private static int resultSize(AbstractInsnNode call) {
        String desc = call instanceof org.objectweb.asm.tree.MethodInsnNode m ? m.desc
                : ((org.objectweb.asm.tree.InvokeDynamicInsnNode) call).desc;
        return Type.getReturnType(desc).getSize();
    }

    private static int maxStackSlots(List<Point> points) {
        int max = 0;
        for (Point point : points) {
            int size = 0;
            for (PointState.Value value : point.state().stack()) {
                size += value.type().getSize();
            }
            max = Math.max(max, size);
        }
        return max;
    }
}
