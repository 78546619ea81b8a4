package dev.stasis.agent.instrument.internal;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
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
import org.objectweb.asm.tree.TryCatchBlockNode;
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
    /**
     * A continuation point: its state, where restoring it resumes, its cold block, and how the dispatch restores
     * it: {@code restoreBlock} when not null, none when {@code restorable} is false (a point inside a
     * {@code synchronized} block, where no thread is captured), else the plain restore of its state.
     */
    private record Point(PointState state, LabelNode resume, InsnList coldBlock, InsnList restoreBlock,
            boolean restorable) {
        Point(PointState state, LabelNode resume, InsnList coldBlock) {
            this(state, resume, coldBlock, null, true);
        }
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
    private final LabelNode returnDummy = new LabelNode();
    private int frameLocal;
    private int spillBase;
    /** The int local naming the wait point a way back into a block goes on to (0: none); -1 without such waits. */
    private int reentryLocal = -1;
    private final List<BlockWaits.Entry> reenteredBlocks = new ArrayList<>();

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

    /** A point as the rewritten method saves it: its layout, and where restoring it resumes. */
    public record PointSite(PointState state, LabelNode resume) {
    }

    /**
     * Rewrites {@code method} exactly like {@link #instrument} and returns its points in point order
     * (empty when it gets none), for tools that read saved frames back ({@code FrameLayouts}).
     */
    public static List<PointSite> instrumentForLayout(String owner, MethodNode method, ClassHierarchy hierarchy,
            String key, SaveHelpers saveHelpers) throws UninstrumentableException, AnalyzerException {
        ContinuationPass pass = new ContinuationPass(owner, method, hierarchy, key, saveHelpers);
        pass.run();
        return pass.points.stream().map(point -> new PointSite(point.state(), point.resume())).toList();
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

        // Prepare: waits in synchronized blocks reach their block's monitorenter again, no uninitialised
        // object across a point, receiver and arguments of calls stashed.
        BlockWaits blockWaits = BlockWaits.prepare(method);
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
        MonitorScopes scopes = MonitorScopes.of(method);
        List<BlockWaits.Site> waitSites = new ArrayList<>();
        for (int i = 0; i < headers.size(); i++) {
            waitSites.add(blockWaits.support(headers.get(i), headerStates.get(i), method, scopes,
                    label -> frames[insns.indexOf(label)]));
        }
        frameLocal = method.maxLocals;
        spillBase = frameLocal + 1 + FrameCodeGenerator.ARRAY_LOCALS;
        if (waitSites.stream().anyMatch(Objects::nonNull)) {
            reentryLocal = spillBase++;
        }

        // Generate: point 0, then loop headers, then calls, in instruction order.
        addEntryPoint();
        for (int i = 0; i < headers.size(); i++) {
            LabelNode header = headers.get(i);
            PointState state = headerStates.get(i);
            if (state == null) {
                continue;
            }
            if (waitSites.get(i) != null) {
                addBlockWaitPoint(waitSites.get(i), state);
            } else if (insideMonitor(scopes, header)) {
                addPointInsideMonitor(header, header, state, "poll");
            } else {
                addLoopPoint(header, state);
            }
        }
        for (int i = 0; i < calls.size(); i++) {
            if (callStates.get(i) == null) {
                continue;
            }
            if (insideMonitor(scopes, calls.get(i))) {
                addPointInsideMonitor(calls.get(i), callLabels.get(i), callStates.get(i), "unwinding");
            } else {
                addCallPoint(calls.get(i), callLabels.get(i), callStates.get(i));
            }
        }
        reenteredBlocks.forEach(this::addReentry);
        InsnList prologue = new InsnList();
        if (reentryLocal >= 0) {
            // Read after the block's monitorenter on every path, so the verifier needs them set from the start.
            prologue.add(new InsnNode(Opcodes.ACONST_NULL));
            prologue.add(new VarInsnNode(Opcodes.ASTORE, frameLocal));
            prologue.add(new InsnNode(Opcodes.ICONST_0));
            prologue.add(new VarInsnNode(Opcodes.ISTORE, reentryLocal));
        }
        prologue.add(FrameCodeGenerator.pendingCheck(entrySlow));
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
        cold.add(save(state, 0, body));
        points.add(new Point(state, body, cold));
    }

    /**
     * Loop header: poll. Restoring resumes at the header itself, before the poll, so the loop keeps
     * a single entry: a jump from the restore block into the middle of the loop would make it
     * irreducible, and C2 does not optimise irreducible loops at all (4x on a prefix sum). The
     * poll then runs once more, finds nothing to do (or, if a new checkpoint was asked for in
     * between, saves the same state again), and the loop goes on.
     */
    private void addLoopPoint(LabelNode header, PointState state) {
        LabelNode cont = new LabelNode();
        InsnList cold = guardedSlowPath(header, cont, "poll");
        cold.add(save(state, points.size(), cont));
        points.add(new Point(state, header, cold));
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
        cold.add(save(state, points.size(), callLabel));
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

    /**
     * Saves a point (through the class's helper when it can, inline otherwise) and hands the frame
     * to {@code Stasis.unwound}. A frame above the bottom returns a dummy to its caller. The bottom
     * frame, once the snapshot is written, carries on in place: its locals are intact, so it only
     * pushes its operand stack back and jumps to {@code continueAt} (for a call point, the call,
     * which the callee rewinds). It does not go through the restore dispatch: a path from inside a
     * loop to the dispatch, and from there back into the loop, would add a second back edge to the
     * loop in the bytecode, and C2 then stops optimising the loop (4x on a prefix sum, even though
     * the path never runs).
     */
    private InsnList save(PointState state, int point, LabelNode continueAt) {
        InsnList code = saveIntoFrame(state, point);
        code.add(handOver(FrameCodeGenerator.pushStack(state, frameLocal, this::castable)));
        code.add(new JumpInsnNode(Opcodes.GOTO, continueAt));
        return code;
    }

    /** Stores the point's values into a new frame in {@code frameLocal}. */
    private InsnList saveIntoFrame(PointState state, int point) {
        InsnList code = saveHelpers == null ? null : saveHelpers.save(state, key, point, frameLocal);
        if (code == null) {
            LabelNode saved = new LabelNode();
            code = FrameCodeGenerator.save(state, key, point, frameLocal, spillBase, saved);
            code.add(saved);
        }
        return code;
    }

    /** Hands the saved frame to {@code Stasis.unwound}: a frame above the bottom returns, the bottom one carries on. */
    private InsnList handOver(InsnList carryOn) {
        InsnList code = new InsnList();
        code.add(new VarInsnNode(Opcodes.ALOAD, frameLocal));
        code.add(FrameCodeGenerator.callStasis("unwound", "(" + FrameCodeGenerator.FRAME_DESC + ")Z"));
        code.add(new JumpInsnNode(Opcodes.IFEQ, returnDummy));
        code.add(carryOn);
        return code;
    }

    /**
     * A point inside a {@code synchronized} block (not a wait of {@link BlockWaits}): no thread is captured there
     * (the runtime refuses a capture holding a block's monitor), so it only asks, inline and inside the block's
     * own exception ranges, and has no save or restore code. HotSpot compiles a method only when no instruction
     * that may throw while a monitor is held lies outside a handler, and when every path agrees on the monitors
     * held: a cold block after the code, or a restore jumping into the block, would make C1 and C2 refuse it
     * ("cannot parse method") and it would run interpreted for good. A "yes" here would be a fault of Stasis.
     */
    private void addPointInsideMonitor(AbstractInsnNode anchor, LabelNode site, PointState state, String decision) {
        LabelNode next = new LabelNode();
        InsnList check = new InsnList();
        check.add(FrameCodeGenerator.callStasis("isPending", "()Z"));
        check.add(new JumpInsnNode(Opcodes.IFEQ, next));
        check.add(FrameCodeGenerator.callStasis(decision, "()Z"));
        check.add(new JumpInsnNode(Opcodes.IFEQ, next));
        check.add(FrameCodeGenerator.fail("stasis: " + key + " was asked to unwind inside a synchronized block,"
                + " where no thread is captured; this is a fault of Stasis"));
        check.add(next);
        method.instructions.insert(anchor, check);
        points.add(new Point(state, site, new InsnList(), null, false)); // site: where tools say the point is
    }

    /**
     * A wait in a {@code synchronized} block on its own monitor ({@link BlockWaits}): the poll, the save and the
     * exit of the block's monitor run inline, inside the block's exception ranges (see
     * {@link #addPointInsideMonitor}); then, holding nothing, the frame is handed over. The bottom frame carries
     * on, and a rewind comes back, through the block's monitorenter: see {@link BlockWaits}.
     */
    private void addBlockWaitPoint(BlockWaits.Site site, PointState state) {
        int point = points.size();
        BlockWaits.Entry entry = site.entry();
        LabelNode next = new LabelNode();
        LabelNode released = new LabelNode();
        InsnList inline = new InsnList();
        inline.add(FrameCodeGenerator.callStasis("isPending", "()Z"));
        inline.add(new JumpInsnNode(Opcodes.IFEQ, next));
        inline.add(FrameCodeGenerator.callStasis("poll", "()Z"));
        inline.add(new JumpInsnNode(Opcodes.IFEQ, next));
        inline.add(saveIntoFrame(state, point));
        inline.add(new VarInsnNode(Opcodes.ALOAD, entry.monitorLocal));
        inline.add(new InsnNode(Opcodes.MONITOREXIT));
        inline.add(new JumpInsnNode(Opcodes.GOTO, released));
        inline.add(next);
        method.instructions.insert(site.header(), inline);
        BlockWaits.useBlockForm(method.instructions, site);

        InsnList cold = new InsnList();
        cold.add(released);
        cold.add(handOver(BlockWaits.reenter(site, point, reentryLocal)));
        InsnList restore = new InsnList();
        PointState.Value monitor = BlockWaits.monitorValue(state, entry.monitorLocal);
        restore.add(FrameCodeGenerator.restoreLocal(monitor, frameLocal, this::castable));
        restore.add(BlockWaits.reenter(site, point, reentryLocal));
        points.add(new Point(state, site.header(), cold, restore, true));
        if (entry.reentries.isEmpty()) {
            reenteredBlocks.add(entry);
        }
        entry.reentries.add(new BlockWaits.Reentry(point, state, site.header()));
    }

    /**
     * Right after a block's monitorenter: {@code if (reentry != 0)} restore that wait point's frame (all but the
     * monitor's local, which must stay the reference the monitorenter locked) and go on to its wait. The restore
     * holds the monitor, so it lies in the range of the block's catch-all handler, like javac's code.
     */
    private void addReentry(BlockWaits.Entry entry) {
        LabelNode reentry = new LabelNode();
        InsnList check = new InsnList();
        check.add(new VarInsnNode(Opcodes.ILOAD, reentryLocal));
        check.add(new JumpInsnNode(Opcodes.IFNE, reentry));
        method.instructions.insert(entry.monitorEnter, check);

        LabelNode end = new LabelNode();
        InsnList cold = new InsnList();
        cold.add(reentry);
        for (BlockWaits.Reentry wait : entry.reentries) {
            LabelNode other = new LabelNode();
            cold.add(new VarInsnNode(Opcodes.ILOAD, reentryLocal));
            cold.add(FrameCodeGenerator.pushInt(wait.point() + 1));
            cold.add(new JumpInsnNode(Opcodes.IF_ICMPNE, other));
            cold.add(new InsnNode(Opcodes.ICONST_0));
            cold.add(new VarInsnNode(Opcodes.ISTORE, reentryLocal));
            cold.add(FrameCodeGenerator.restore(wait.state(), frameLocal, frameLocal + 1, wait.header(),
                    this::castable, entry.monitorLocal));
            cold.add(other);
        }
        cold.add(FrameCodeGenerator.fail("stasis: cannot rewind " + key + ": no wait of this synchronized block"
                + " has the point to go on to"));
        cold.add(end);
        method.tryCatchBlocks.add(new TryCatchBlockNode(reentry, end, entry.handler, null));
        points.get(entry.reentries.get(0).point()).coldBlock().add(cold);
    }

    private static boolean insideMonitor(MonitorScopes scopes, AbstractInsnNode insn) {
        if (scopes == null) {
            return false;
        }
        List<AbstractInsnNode> around = scopes.around(insn);
        return around != null && !around.isEmpty();
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
     * Everything after the original code: the cold blocks of the points, the shared dummy return of
     * an unwinding frame, the dispatch on {@code frame.point} and the restore blocks.
     */
    private InsnList coldCode() {
        InsnList cold = new InsnList();
        points.forEach(point -> cold.add(point.coldBlock()));
        cold.add(returnDummy);
        cold.add(FrameCodeGenerator.dummyReturn(Type.getReturnType(method.desc)));
        LabelNode bad = new LabelNode();
        cold.add(dispatch);
        cold.add(new VarInsnNode(Opcodes.ALOAD, frameLocal));
        cold.add(new FieldInsnNode(Opcodes.GETFIELD, FrameCodeGenerator.FRAME, "point", "I"));
        LabelNode[] restores = new LabelNode[points.size()];
        for (int k = 0; k < restores.length; k++) {
            restores[k] = new LabelNode();
        }
        cold.add(new TableSwitchInsnNode(0, points.size() - 1, bad, restores));
        for (int k = 0; k < restores.length; k++) {
            Point point = points.get(k);
            cold.add(restores[k]);
            if (!point.restorable()) {
                cold.add(new JumpInsnNode(Opcodes.GOTO, bad));
            } else if (point.restoreBlock() != null) {
                cold.add(point.restoreBlock());
            } else {
                cold.add(FrameCodeGenerator.restore(point.state(), frameLocal, frameLocal + 1, point.resume(),
                        this::castable));
            }
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
