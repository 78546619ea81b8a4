package dev.stasis.agent.instrument;

import dev.stasis.agent.instrument.internal.BlockingCallPass;
import dev.stasis.agent.instrument.internal.ClassHierarchy;
import dev.stasis.agent.instrument.internal.CheckpointRestoreCallPass;
import dev.stasis.agent.instrument.internal.ContinuationPass;
import dev.stasis.agent.instrument.internal.LambdaPass;
import dev.stasis.agent.instrument.internal.LockCallPass;
import dev.stasis.agent.instrument.internal.PointState;
import dev.stasis.agent.instrument.internal.SaveHelpers;
import dev.stasis.agent.instrument.internal.TimeCallPass;
import dev.stasis.agent.instrument.internal.WaitCallPass;
import dev.stasis.agent.instrument.internal.UninstrumentableException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.AnalyzerException;

/**
 * Which local variable or operand-stack entry sits in which slot of a captured
 * {@code dev.stasis.rt.Frame}, per continuation point: the instrumenter decides that layout and
 * the runtime never records it, so tools re-derive it here by running the instrumenter's own passes
 * on the class bytes. The answer is the layout the running program used only if the bytes are the
 * ones it ran (compare the class fingerprint first) and this agent version instrumented them.
 */
public final class FrameLayouts {
    /** The array of {@code dev.stasis.rt.Frame} that holds a value; {@code NONE} for a value known to be null, which is not saved. */
    public enum Slots { INTS, LONGS, FLOATS, DOUBLES, REFS, NONE }

    /**
     * One saved value.
     *
     * @param name      the local's name from the LocalVariableTable, {@code local<N>} without one,
     *                  {@code stack[i]} for the operand stack, or a parenthesised description of a
     *                  local the instrumenter added ({@code synthetic})
     * @param position  the local's slot, or the depth on the operand stack (0 = bottom)
     * @param type      the analysed type as Java writes it ({@code int}, {@code java.lang.String[]},
     *                  {@code null} for a value only known to be null)
     * @param index     the index in {@code array}, -1 for {@code NONE}
     */
    public record Value(String name, boolean synthetic, int position, String type, Slots array, int index) {
    }

    /** One continuation point: its source line (-1 when the class has none) and its values, locals first. */
    public record Point(int point, int line, List<Value> locals, List<Value> stack) {
        /** How many entries of {@code array} a frame saved at this point holds. */
        public int count(Slots array) {
            return (int) Stream.concat(locals.stream(), stack.stream())
                    .filter(value -> value.array() == array).count();
        }
    }

    /** The points of one method, by point number; empty when the instrumenter gives it none. */
    public record Method(String key, String sourceFile, List<Point> points) {
    }

    private final ClassHierarchy hierarchy;

    /** {@code classes} gives the class files of the program's class path (for type analysis). */
    public FrameLayouts(ClassBytesSource classes) {
        this.hierarchy = new ClassHierarchy(classes);
    }

    /**
     * The layout of {@code methodKey} ({@code owner.name descriptor}) in {@code classBytes}.
     *
     * @throws IllegalArgumentException if the class has no such method or cannot be analysed
     */
    public Method of(byte[] classBytes, String methodKey) {
        ClassNode type = new ClassNode();
        new ClassReader(classBytes).accept(type, ClassReader.SKIP_FRAMES);
        hierarchy.register(new ClassHierarchy.ClassInfo(type.name, type.superName, List.copyOf(type.interfaces),
                (type.access & Opcodes.ACC_INTERFACE) != 0, (type.access & Opcodes.ACC_PUBLIC) != 0));
        MethodNode method = type.methods.stream()
                .filter(candidate -> methodKey.equals(type.name + '.' + candidate.name + candidate.desc))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("class " + type.name + " has no method " + methodKey));
        if ((method.access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0 || method.name.startsWith("<")) {
            return new Method(methodKey, type.sourceFile, List.of());
        }
        int originalLocals = method.maxLocals;
        List<ContinuationPass.PointSite> sites;
        try {
            // The same passes, in the same order, as Instrumenter.rewriteMethod.
            LambdaPass.makeLambdasSerializable(method);
            TimeCallPass.rewriteClock(method);
            LockCallPass.rewrite(method, hierarchy);
            CheckpointRestoreCallPass.rewrite(type.name, type.version, method);
            TimeCallPass.rewriteSleeps(method);
            WaitCallPass.rewrite(method);
            BlockingCallPass.rewrite(method, hierarchy);
            sites = ContinuationPass.instrumentForLayout(type.name, method, hierarchy, methodKey,
                    SaveHelpers.forClass(type.name, type.access, type.version));
        } catch (UninstrumentableException | AnalyzerException | RuntimeException e) {
            throw new IllegalArgumentException("cannot derive the frame layout of " + methodKey + ": " + e.getMessage(), e);
        }
        List<Point> points = new ArrayList<>();
        for (int k = 0; k < sites.size(); k++) {
            points.add(new PointNaming(method, originalLocals, sites.get(k), k).point());
        }
        return new Method(methodKey, type.sourceFile, List.copyOf(points));
    }

    /** Names and the source line of one point, from the rewritten method's debug information. */
    private static final class PointNaming {
        private final MethodNode method;
        private final int originalLocals;
        private final ContinuationPass.PointSite site;
        private final int pointNumber;
        private final int at;
        private final Map<Integer, String> stashNames;

        PointNaming(MethodNode method, int originalLocals, ContinuationPass.PointSite site, int pointNumber) {
            this.method = method;
            this.originalLocals = originalLocals;
            this.site = site;
            this.pointNumber = pointNumber;
            this.at = method.instructions.indexOf(site.resume());
            this.stashNames = stashNames(site.resume());
        }

        Point point() {
            List<Value> locals = new ArrayList<>();
            for (PointState.Value value : site.state().locals()) {
                LocalVariableNode declared = declaration(value.position());
                String name;
                if (declared != null) {
                    name = declared.name;
                } else if (value.position() < originalLocals) {
                    boolean receiver = value.position() == 0 && (method.access & Opcodes.ACC_STATIC) == 0;
                    name = receiver ? "this" : "local" + value.position();
                } else {
                    name = stashNames.getOrDefault(value.position(), "(stasis local " + value.position() + ")");
                }
                locals.add(value(name, value.position() >= originalLocals, value,
                        declared == null ? null : Type.getType(declared.desc).getClassName()));
            }
            List<Value> stack = new ArrayList<>();
            for (PointState.Value value : site.state().stack()) {
                stack.add(value("stack[" + value.position() + "]", false, value, null));
            }
            return new Point(pointNumber, line(), List.copyOf(locals), List.copyOf(stack));
        }

        /** The analysed type says only "int" for booleans and chars: the declared type, when known, is the one to show. */
        private static Value value(String name, boolean synthetic, PointState.Value value, String declaredType) {
            Slots array = switch (value.kind()) {
                case INTS -> Slots.INTS;
                case LONGS -> Slots.LONGS;
                case FLOATS -> Slots.FLOATS;
                case DOUBLES -> Slots.DOUBLES;
                case REFS -> Slots.REFS;
                case NULL -> Slots.NONE;
            };
            String type = declaredType != null ? declaredType : array == Slots.NONE ? "null" : value.type().getClassName();
            return new Value(name, synthetic, value.position(), type, array, value.index());
        }

        /**
         * The LocalVariableTable entry of {@code slot} where the point resumes, null without one (or
         * for a local the instrumenter added). At the entry point the code has not started, so the
         * parameters' entries (the earliest for their slot) name them.
         */
        private LocalVariableNode declaration(int slot) {
            if (slot >= originalLocals || method.localVariables == null) {
                return null;
            }
            LocalVariableNode best = null;
            for (LocalVariableNode local : method.localVariables) {
                if (local.index != slot) {
                    continue;
                }
                int start = method.instructions.indexOf(local.start);
                int end = method.instructions.indexOf(local.end);
                boolean inScope = pointNumber == 0
                        ? best == null || start < method.instructions.indexOf(best.start)
                        : start <= at && at < end;
                if (inScope) {
                    best = local;
                }
            }
            return best;
        }

        /** The line the point belongs to: the last line entry before where it resumes, else the method's first. */
        private int line() {
            InsnList insns = method.instructions;
            Map<LabelNode, Integer> lineOfLabel = new HashMap<>();
            for (AbstractInsnNode insn = insns.getFirst(); insn != null; insn = insn.getNext()) {
                if (insn instanceof LineNumberNode line) {
                    lineOfLabel.put(line.start, line.line);
                }
            }
            for (AbstractInsnNode insn = site.resume(); insn != null; insn = insn.getPrevious()) {
                if (insn instanceof LineNumberNode line) {
                    return line.line;
                }
                if (insn instanceof LabelNode label && lineOfLabel.containsKey(label)) {
                    return lineOfLabel.get(label);
                }
            }
            for (AbstractInsnNode insn = insns.getFirst(); insn != null; insn = insn.getNext()) {
                if (insn instanceof LineNumberNode line) {
                    return line.line;
                }
            }
            return -1;
        }

        /**
         * A call point resumes right before the stash loads of its receiver and arguments, followed by
         * the invoke: those locals are named after the call.
         */
        private static Map<Integer, String> stashNames(LabelNode resume) {
            List<Integer> loaded = new ArrayList<>();
            AbstractInsnNode insn = resume.getNext();
            while (insn instanceof VarInsnNode load && load.getOpcode() >= Opcodes.ILOAD && load.getOpcode() <= Opcodes.ALOAD) {
                loaded.add(load.var);
                insn = insn.getNext();
            }
            String callee;
            boolean hasReceiver;
            if (insn instanceof MethodInsnNode call) {
                callee = call.name;
                hasReceiver = call.getOpcode() != Opcodes.INVOKESTATIC;
            } else if (insn instanceof InvokeDynamicInsnNode dynamic) {
                callee = dynamic.name;
                hasReceiver = false;
            } else {
                return Map.of();
            }
            Map<Integer, String> names = new HashMap<>();
            for (int i = 0; i < loaded.size(); i++) {
                int argument = hasReceiver ? i - 1 : i;
                names.put(loaded.get(i), argument < 0 ? "(receiver of " + callee + ")"
                        : "(argument " + argument + " of " + callee + ")");
            }
            return names;
        }
    }
}
