package dev.stasis.agent.instrument.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;

/**
 * {@code new Foo(f(x))} keeps an uninitialised reference on the stack across {@code f}, which
 * cannot be saved. For every {@code NEW}/{@code DUP} pair still uninitialised at a point, this pass
 * removes the pair and re-creates it right before its constructor call: the arguments go into
 * temporary locals, then {@code NEW; DUP; load arguments; invokespecial <init>}.
 */
public final class NewRelocationPass {
    private NewRelocationPass() {
    }

    /**
     * Relocates what is needed. Temporary locals start at {@code tempBase}; returns how many slots
     * they need (0 when nothing moved).
     */
    public static int relocate(String owner, MethodNode method, Set<AbstractInsnNode> points, int tempBase)
            throws UninstrumentableException, AnalyzerException {
        Frame<SourceValue>[] frames = new Analyzer<>(new SourceInterpreter()).analyze(owner, method);
        InsnList insns = method.instructions;
        Set<AbstractInsnNode> news = new LinkedHashSet<>();
        for (AbstractInsnNode point : points) {
            Frame<SourceValue> frame = frames[insns.indexOf(point)];
            if (frame == null) {
                continue;
            }
            for (int i = 0; i < frame.getStackSize(); i++) {
                collectNews(frame.getStack(i), frames, insns, news);
            }
        }
        if (news.isEmpty()) {
            return 0;
        }
        Map<AbstractInsnNode, MethodInsnNode> initOfDup = constructorCalls(insns, frames);
        List<Runnable> edits = new ArrayList<>();
        int tempSlots = 0;
        for (AbstractInsnNode newInsn : news) {
            AbstractInsnNode dup = nextReal(newInsn);
            String type = ((TypeInsnNode) newInsn).desc;
            if (dup == null || dup.getOpcode() != Opcodes.DUP) {
                throw new UninstrumentableException("NEW " + type + " without a DUP is still uninitialised at a"
                        + " call point or loop header (not javac-shaped code)");
            }
            MethodInsnNode init = initOfDup.get(dup);
            if (init == null) {
                throw new UninstrumentableException("NEW " + type + " has no unique constructor call");
            }
            tempSlots = Math.max(tempSlots, argumentSlots(init.desc));
            edits.add(() -> {
                insns.remove(newInsn);
                insns.remove(dup);
                insns.insertBefore(init, recreate(type, init.desc, tempBase));
            });
        }
        edits.forEach(Runnable::run);
        return tempSlots;
    }

    /** The NEW instructions a stack value comes from, directly or through DUPs. */
    private static void collectNews(SourceValue value, Frame<SourceValue>[] frames, InsnList insns,
                                    Set<AbstractInsnNode> news) {
        for (AbstractInsnNode source : value.insns) {
            if (source.getOpcode() == Opcodes.NEW) {
                news.add(source);
            } else if (source.getOpcode() == Opcodes.DUP) {
                Frame<SourceValue> atDup = frames[insns.indexOf(source)];
                if (atDup != null) {
                    for (AbstractInsnNode input : atDup.getStack(atDup.getStackSize() - 1).insns) {
                        if (input.getOpcode() == Opcodes.NEW) {
                            news.add(input);
                        }
                    }
                }
            }
        }
    }

    /** Each {@code DUP} that duplicated a new object, mapped to the constructor call consuming it. */
    private static Map<AbstractInsnNode, MethodInsnNode> constructorCalls(InsnList insns, Frame<SourceValue>[] frames)
            throws UninstrumentableException {
        Map<AbstractInsnNode, MethodInsnNode> result = new HashMap<>();
        for (AbstractInsnNode insn = insns.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn.getOpcode() != Opcodes.INVOKESPECIAL || !"<init>".equals(((MethodInsnNode) insn).name)) {
                continue;
            }
            Frame<SourceValue> frame = frames[insns.indexOf(insn)];
            if (frame == null) {
                continue;
            }
            MethodInsnNode init = (MethodInsnNode) insn;
            int receiverIndex = frame.getStackSize() - 1 - Type.getArgumentTypes(init.desc).length;
            Set<AbstractInsnNode> sources = frame.getStack(receiverIndex).insns;
            for (AbstractInsnNode source : sources) {
                if (source.getOpcode() == Opcodes.DUP) {
                    if (sources.size() != 1 || result.put(source, init) != null) {
                        throw new UninstrumentableException("a new object reaches more than one constructor call");
                    }
                }
            }
        }
        return result;
    }

    private static InsnList recreate(String type, String initDesc, int tempBase) {
        Type[] args = Type.getArgumentTypes(initDesc);
        int[] slots = new int[args.length];
        int next = tempBase;
        for (int i = 0; i < args.length; i++) {
            slots[i] = next;
            next += args[i].getSize();
        }
        InsnList code = new InsnList();
        for (int i = args.length - 1; i >= 0; i--) {
            code.add(new VarInsnNode(args[i].getOpcode(Opcodes.ISTORE), slots[i]));
        }
        code.add(new TypeInsnNode(Opcodes.NEW, type));
        code.add(new InsnNode(Opcodes.DUP));
        for (int i = 0; i < args.length; i++) {
            code.add(new VarInsnNode(args[i].getOpcode(Opcodes.ILOAD), slots[i]));
        }
        return code;
    }

    static int argumentSlots(String desc) {
        return (Type.getArgumentsAndReturnSizes(desc) >> 2) - 1;
    }

    static AbstractInsnNode nextReal(AbstractInsnNode insn) {
        AbstractInsnNode next = insn.getNext();
        while (next != null && next.getOpcode() < 0) {
            next = next.getNext();
        }
        return next;
    }
}
