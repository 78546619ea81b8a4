package dev.stasis.agent.instrument.internal;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;

/**
 * The {@code Object.wait} loops ({@link WaitCallPass}) that sit in a {@code synchronized} block on the monitor
 * they wait for, which {@link ContinuationPass} makes capturable: the save path exits the block's monitor, as the
 * wait itself does, and the way back in (a rewind, or a bottom frame carrying on after its snapshot) goes through
 * the block's own {@code monitorenter} again, then on to the wait.
 *
 * <p>Why through the block's own instruction: HotSpot compiles a method only when every path agrees on which
 * {@code monitorenter} holds each monitor (its {@code GenerateOopMap} checks that every {@code monitorexit} exits
 * the reference the matching {@code monitorenter} locked); a second {@code monitorenter} on the restore path that
 * merges into the block makes C1 and C2 refuse the method ("cannot parse method"), and it would run interpreted
 * for good. So javac's {@code dup; astore m; monitorenter} becomes {@code astore m; REENTER: aload m;
 * monitorenter} (the same effect), a way back jumps to {@code REENTER} with the wait's point in a new int local,
 * and right after the {@code monitorenter} a nonzero point restores that point's frame and jumps to the wait.
 * Every local the code after {@code REENTER} may read is given a value of its type first (the real ones come
 * back from the frame after the {@code monitorenter}), so the verifier sees the same types on every path.
 *
 * <p>Supported shape: the wait is inside exactly one monitor, entered by javac's sequence in the same method
 * (not a {@code synchronized} method), with an empty operand stack at the block's start and at the wait, and the
 * block's monitor local live at the wait. The rewritten call is {@code ObjectWaitCalls.beginInBlock(...,
 * blockMonitor)}: the runtime lets a thread be captured holding the block's monitor only after such a wait was cut
 * short, on the very next poll, and only when the waited monitor is the block's. Any other wait in a block keeps
 * the plain {@code begin}, and a capture there is refused as before.
 */
final class BlockWaits {
    private static final String OBJECT_WAIT_CALLS = "dev/stasis/rt/ObjectWaitCalls";

    /** A block's entry: its {@code monitorenter}, the local holding its monitor, and the label before it. */
    static final class Entry {
        final AbstractInsnNode monitorEnter;
        final int monitorLocal;
        final LabelNode reenter = new LabelNode();
        /** The analysed frame at {@code reenter}, and the block's catch-all handler: set by {@link #support}. */
        Frame<BasicValue> atReenter;
        LabelNode handler;
        /** The wait points under this entry, in point order; filled while points are generated. */
        final List<Reentry> reentries = new ArrayList<>();

        Entry(AbstractInsnNode monitorEnter, int monitorLocal) {
            this.monitorEnter = monitorEnter;
            this.monitorLocal = monitorLocal;
        }
    }

    /** A wait point reached again through the block's entry: its number, state and loop header. */
    record Reentry(int point, PointState state, LabelNode header) {
    }

    /** One wait loop in a block: its loop header, its {@code begin} call and the block it is in. */
    record Site(LabelNode header, MethodInsnNode begin, Entry entry) {
    }

    private final Map<LabelNode, Site> sites;

    private BlockWaits(Map<LabelNode, Site> sites) {
        this.sites = sites;
    }

    /**
     * Finds the candidate waits of {@code method} and rewrites their blocks' entries to {@code astore m; REENTER:
     * aload m; monitorenter}; call before the method is analysed. Nothing else changes until {@link #support}.
     */
    static BlockWaits prepare(MethodNode method) {
        Map<LabelNode, Site> sites = new IdentityHashMap<>();
        if ((method.access & Opcodes.ACC_SYNCHRONIZED) != 0) {
            return new BlockWaits(sites);
        }
        MonitorScopes scopes = null;
        Map<AbstractInsnNode, Entry> entries = new IdentityHashMap<>();
        for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            MethodInsnNode begin = waitBegin(insn);
            if (begin == null) {
                continue;
            }
            LabelNode header = (LabelNode) begin.getNext().getNext();
            if (scopes == null) {
                scopes = MonitorScopes.of(method);
                if (scopes == null) {
                    return new BlockWaits(sites);
                }
            }
            List<AbstractInsnNode> around = scopes.around(header);
            if (around == null || around.size() != 1) {
                continue;
            }
            Entry entry = entries.computeIfAbsent(around.get(0), BlockWaits::entryOf);
            if (entry != null) {
                sites.put(header, new Site(header, begin, entry));
            }
        }
        entries.values().forEach(entry -> rewriteEntry(method.instructions, entry));
        return new BlockWaits(sites);
    }

    /**
     * The site of the wait loop at {@code header} when it can be made capturable with the analysed frames: the
     * block's monitor local live at the wait, and nothing on the operand stack there or at the block's start.
     */
    Site support(LabelNode header, PointState state, MethodNode method, MonitorScopes scopes,
            Function<LabelNode, Frame<BasicValue>> frameAt) {
        Site site = sites.get(header);
        if (site == null || state == null || scopes == null || !state.stack().isEmpty()
                || monitorValue(state, site.entry().monitorLocal) == null) {
            return null;
        }
        Entry entry = site.entry();
        Frame<BasicValue> atReenter = frameAt.apply(entry.reenter);
        LabelNode handler = blockHandler(method, scopes, header, entry);
        if (atReenter == null || atReenter.getStackSize() != 0 || handler == null) {
            return null;
        }
        entry.atReenter = atReenter;
        entry.handler = handler;
        return site;
    }

    /**
     * The block's own catch-all handler (javac's, which exits the monitor and rethrows): the outermost one around
     * the wait that runs inside the block.
     */
    private static LabelNode blockHandler(MethodNode method, MonitorScopes scopes, LabelNode header, Entry entry) {
        InsnList insns = method.instructions;
        int at = insns.indexOf(header);
        TryCatchBlockNode outermost = null;
        for (TryCatchBlockNode block : method.tryCatchBlocks) {
            if (block.type == null && insns.indexOf(block.start) <= at && at < insns.indexOf(block.end)
                    && List.of(entry.monitorEnter).equals(scopes.around(block.handler))
                    && (outermost == null || insns.indexOf(block.start) < insns.indexOf(outermost.start))) {
                outermost = block;
            }
        }
        return outermost == null ? null : outermost.handler;
    }

    /** The saved value of the block's monitor local at a point of {@code state}, or null when it is not saved. */
    static PointState.Value monitorValue(PointState state, int local) {
        for (PointState.Value value : state.locals()) {
            if (value.position() == local && value.kind() == PointState.Kind.REFS) {
                return value;
            }
        }
        return null;
    }

    /** Makes the wait's {@code begin} the block form: the block's monitor as its last argument. */
    static void useBlockForm(InsnList insns, Site site) {
        insns.insertBefore(site.begin(), new VarInsnNode(Opcodes.ALOAD, site.entry().monitorLocal));
        site.begin().name = "beginInBlock";
        site.begin().desc = site.begin().desc.replace(")", "Ljava/lang/Object;)");
    }

    /**
     * The way back into the block for wait point {@code point}: a value of its type into every local the code at
     * {@code REENTER} knows, but the monitor's, then the point in {@code reentryLocal} and the jump.
     */
    static InsnList reenter(Site site, int point, int reentryLocal) {
        Frame<BasicValue> atReenter = site.entry().atReenter;
        InsnList code = new InsnList();
        for (int slot = 0; slot < atReenter.getLocals(); slot++) {
            Type type = atReenter.getLocal(slot).getType();
            if (type == null || slot == site.entry().monitorLocal) {
                continue;
            }
            switch (type.getSort()) {
                case Type.VOID -> { }
                case Type.LONG -> code.add(store(Opcodes.LCONST_0, Opcodes.LSTORE, slot));
                case Type.FLOAT -> code.add(store(Opcodes.FCONST_0, Opcodes.FSTORE, slot));
                case Type.DOUBLE -> code.add(store(Opcodes.DCONST_0, Opcodes.DSTORE, slot));
                case Type.OBJECT, Type.ARRAY -> code.add(store(Opcodes.ACONST_NULL, Opcodes.ASTORE, slot));
                default -> code.add(store(Opcodes.ICONST_0, Opcodes.ISTORE, slot));
            }
        }
        code.add(FrameCodeGenerator.pushInt(point + 1));
        code.add(new VarInsnNode(Opcodes.ISTORE, reentryLocal));
        code.add(new JumpInsnNode(Opcodes.GOTO, site.entry().reenter));
        return code;
    }

    private static InsnList store(int constant, int storeOpcode, int slot) {
        InsnList code = new InsnList();
        code.add(new InsnNode(constant));
        code.add(new VarInsnNode(storeOpcode, slot));
        return code;
    }

    /** {@code ObjectWaitCalls.begin(...); astore c; WAIT: aload c; ObjectWaitCalls.await}: the begin call, else null. */
    private static MethodInsnNode waitBegin(AbstractInsnNode insn) {
        if (!(insn instanceof MethodInsnNode call) || !call.owner.equals(OBJECT_WAIT_CALLS)
                || !call.name.equals("begin")) {
            return null;
        }
        AbstractInsnNode store = call.getNext();
        AbstractInsnNode header = store == null ? null : store.getNext();
        AbstractInsnNode load = header == null ? null : header.getNext();
        AbstractInsnNode await = load == null ? null : load.getNext();
        boolean shape = store != null && store.getOpcode() == Opcodes.ASTORE && header instanceof LabelNode
                && load != null && load.getOpcode() == Opcodes.ALOAD
                && await instanceof MethodInsnNode awaitCall && awaitCall.owner.equals(OBJECT_WAIT_CALLS)
                && awaitCall.name.equals("await");
        return shape ? call : null;
    }

    /** The entry of javac's {@code dup; astore m; monitorenter}, or null for any other shape. */
    private static Entry entryOf(AbstractInsnNode monitorEnter) {
        AbstractInsnNode store = monitorEnter.getPrevious();
        AbstractInsnNode dup = store == null ? null : store.getPrevious();
        if (store == null || store.getOpcode() != Opcodes.ASTORE || dup == null || dup.getOpcode() != Opcodes.DUP) {
            return null;
        }
        return new Entry(monitorEnter, ((VarInsnNode) store).var);
    }

    private static void rewriteEntry(InsnList insns, Entry entry) {
        AbstractInsnNode store = entry.monitorEnter.getPrevious();
        insns.remove(store.getPrevious()); // the dup
        InsnList reload = new InsnList();
        reload.add(entry.reenter);
        reload.add(new VarInsnNode(Opcodes.ALOAD, entry.monitorLocal));
        insns.insert(store, reload);
    }
}
