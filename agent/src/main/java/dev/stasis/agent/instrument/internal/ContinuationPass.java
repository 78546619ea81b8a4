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
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
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
 * into a {@code dev.stasis.rt.Frame} and restore it. The hot path of every point is
 * {@code invokestatic Stasis.isPending(); ifne cold}, which the JIT folds away while no checkpoint
 * runs.
 */
public final class ContinuationPass {
    /** A continuation point: its state, where restoring it resumes, and its cold block. */
    private record Point(PointState state, LabelNode resume, InsnList coldBlock) {
    }

    private static final String ENTER_DESC = "(Ljava/lang/String;)" + FrameCodeGenerator.FRAME_DESC;

    private final String owner;
    private final MethodNode method;
    private final ClassHierarchy hierarchy;
    private final String key;
    private final SaveHelpers saveHelpers;
    private final List<Point> points = new ArrayList<>();
    private final LabelNode body = new LabelNode();
    private final LabelNode entrySlow = new LabelNode();
    private final LabelNode dispatch = new LabelNode();
    private final LabelNode redispatch = new LabelNode();
    private final LabelNode unwind = new LabelNode();
    private int frameLocal;
    private int spillBase;

    private ContinuationPass(String owner, MethodNode method, ClassHierarchy hierarchy, String key,
            SaveHelpers saveHelpers) {
        this.owner = owner;
        this.saveHelpers = saveHelpers;
        this.method = method;
        this.hierarchy = hierarchy;
        this.key = key;
    }

    /**
     * Rewrites {@code method} in place and returns its number of points, or 0 when it has neither a
     * call point nor a loop and is left untouched. On an exception the method may be half rewritten:
     * callers work on a copy. Saves go through {@code saveHelpers} (the class's, shared by its
     * methods) when it is not null.
     */
    public static int instrument(String owner, MethodNode method, ClassHierarchy hierarchy, String key,
            SaveHelpers saveHelpers) throws UninstrumentableException, AnalyzerException {
        return new ContinuationPass(owner, method, hierarchy, key, saveHelpers).run();
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

        // Prepare: no uninitialised object across a point, receiver and arguments of calls stashed.
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

        // Analyse, and read every state before inserting code: frames are indexed by instruction.
        Frame<BasicValue>[] frames = new Analyzer<>(new HierarchyVerifier(hierarchy, Type.getObjectType(owner)))
                .analyze(owner, method);
        BitSet[] live = LivenessAnalyzer.liveBefore(method);
        List<PointState> headerStates = statesAt(headers, frames, live);
        List<PointState> callStates = statesAt(callLabels, frames, live);
        frameLocal = method.maxLocals;
        spillBase = frameLocal + 1 + FrameCodeGenerator.ARRAY_LOCALS;

        // Generate: point 0, then loop headers, then calls, in instruction order.
        addEntryPoint();
        for (int i = 0; i < headers.size(); i++) {
            if (headerStates.get(i) != null) {
                addLoopPoint(headers.get(i), headerStates.get(i));
            }
        }
        for (int i = 0; i < calls.size(); i++) {
            if (callStates.get(i) != null) {
                addCallPoint(calls.get(i), callLabels.get(i), callStates.get(i));
            }
        }
        InsnList prologue = FrameCodeGenerator.pendingCheck(entrySlow);
        prologue.add(body);
        insns.insert(prologue);
        insns.add(coldCode());
        method.maxLocals = spillBase + maxStackSlots();
        return points.size();
    }

    /**
     * Entry: with {@code pending} set, ask for a frame to restore; without one, poll, and save
     * point 0 (the parameters) when the thread must unwind.
     */
    private void addEntryPoint() {
        PointState state = PointState.ofEntry(owner, method.access, method.desc);
        InsnList cold = new InsnList();
        cold.add(entrySlow);
        cold.add(enterForFrame());
        cold.add(new JumpInsnNode(Opcodes.IFNONNULL, dispatch));
        cold.add(FrameCodeGenerator.callStasis("poll", "()Z"));
        cold.add(new JumpInsnNode(Opcodes.IFEQ, body));
        cold.add(save(state, 0));
        points.add(new Point(state, body, cold));
    }

    /** Loop header: poll; restoring resumes right after the check. */
    private void addLoopPoint(LabelNode header, PointState state) {
        LabelNode cont = new LabelNode();
        InsnList cold = guardedSlowPath(header, cont, "poll");
        cold.add(save(state, points.size()));
        points.add(new Point(state, cont, cold));
    }

    /**
     * After a call: if the callee unwound, drop its dummy result and save. Restoring resumes at
     * {@code callLabel}, before the stash loads, so the same invoke runs again inside its original
     * exception ranges.
     */
    private void addCallPoint(AbstractInsnNode call, LabelNode callLabel, PointState state) {
        InsnList cold = guardedSlowPath(call, new LabelNode(), "unwinding");
        int resultSize = Type.getReturnType(descriptorOf(call)).getSize();
        if (resultSize > 0) {
            cold.add(new InsnNode(resultSize == 2 ? Opcodes.POP2 : Opcodes.POP));
        }
        cold.add(save(state, points.size()));
        points.add(new Point(state, callLabel, cold));
    }

    /**
     * Puts the hot check ({@code isPending()}, then {@code next}) right after {@code anchor} and returns
     * the start of its cold block: {@code Stasis.<decision>()}, back to {@code next} when false. The
     * caller appends what saving the point takes.
     */
    private InsnList guardedSlowPath(AbstractInsnNode anchor, LabelNode next, String decision) {
        LabelNode slow = new LabelNode();
        InsnList check = FrameCodeGenerator.pendingCheck(slow);
        check.add(next);
        method.instructions.insert(anchor, check);
        InsnList cold = new InsnList();
        cold.add(slow);
        cold.add(FrameCodeGenerator.callStasis(decision, "()Z"));
        cold.add(new JumpInsnNode(Opcodes.IFEQ, next));
        return cold;
    }

    /** Saves a point through the class's helper when it can, inline otherwise; then unwinds. */
    private InsnList save(PointState state, int point) {
        InsnList viaHelper = saveHelpers == null ? null : saveHelpers.save(state, key, point, frameLocal);
        if (viaHelper == null) {
            return FrameCodeGenerator.save(state, key, point, frameLocal, spillBase, unwind);
        }
        viaHelper.add(new JumpInsnNode(Opcodes.GOTO, unwind));
        return viaHelper;
    }

    /** {@code frame = Stasis.enter(key)}, leaving the frame on the stack for the null test that follows. */
    private InsnList enterForFrame() {
        InsnList enter = new InsnList();
        enter.add(new LdcInsnNode(key));
        enter.add(FrameCodeGenerator.callStasis("enter", ENTER_DESC));
        enter.add(new VarInsnNode(Opcodes.ASTORE, frameLocal));
        enter.add(new VarInsnNode(Opcodes.ALOAD, frameLocal));
        return enter;
    }

    /**
     * Everything after the original code: the cold blocks of the points, the shared unwind tail,
     * the re-dispatch after a bottom frame's snapshot, the dispatch on {@code frame.point} and the
     * restore blocks.
     */
    private InsnList coldCode() {
        InsnList cold = new InsnList();
        points.forEach(point -> cold.add(point.coldBlock()));
        cold.add(FrameCodeGenerator.unwindTail(unwind, frameLocal, redispatch, Type.getReturnType(method.desc)));
        LabelNode bad = new LabelNode();
        cold.add(redispatch);
        cold.add(enterForFrame());
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
            cold.add(FrameCodeGenerator.restore(points.get(k).state(), frameLocal, frameLocal + 1,
                    points.get(k).resume(), this::castable));
        }
        cold.add(bad);
        cold.add(FrameCodeGenerator.fail("stasis: cannot rewind " + key + ": the runtime handed no frame or a frame"
                + " with an unknown point; the snapshot does not match this code"));
        return cold;
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
     * back, with {@code callLabel} in between: restoring jumps there after reloading the stash.
     * Returns the number of slots used. (The JIT removes the round trip.)
     */
    private int stash(AbstractInsnNode call, LabelNode callLabel, int base) {
        boolean hasReceiver = call.getOpcode() != Opcodes.INVOKESTATIC && call.getOpcode() != Opcodes.INVOKEDYNAMIC;
        List<Type> types = new ArrayList<>();
        if (hasReceiver) {
            types.add(Type.getObjectType("java/lang/Object"));
        }
        types.addAll(List.of(Type.getArgumentTypes(descriptorOf(call))));
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

    private static String descriptorOf(AbstractInsnNode call) {
        return call instanceof MethodInsnNode invoke ? invoke.desc : ((InvokeDynamicInsnNode) call).desc;
    }

    /** Slots the largest operand stack needs when a save spills it into locals. */
    private int maxStackSlots() {
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
