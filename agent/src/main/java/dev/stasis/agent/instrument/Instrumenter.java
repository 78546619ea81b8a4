package dev.stasis.agent.instrument;

import dev.stasis.agent.instrument.internal.ClassHierarchy;
import dev.stasis.agent.instrument.internal.ClinitPass;
import dev.stasis.agent.instrument.internal.ContinuationPass;
import dev.stasis.agent.instrument.internal.HierarchyClassWriter;
import dev.stasis.agent.instrument.internal.LambdaPass;
import dev.stasis.agent.instrument.internal.UninstrumentableException;
import dev.stasis.runtime.internal.registry.ClassFingerprint;
import dev.stasis.runtime.internal.registry.InstrumentedClasses;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodTooLargeException;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.commons.SerialVersionUIDAdder;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.AnalyzerException;

/**
 * Bytes in, bytes out: rewrites one class for capture and rewind, following "The instrumentation
 * protocol" in docs/ARCHITECTURE.md. The passes, in order:
 * <ol>
 *   <li>per method, on a copy: lambdas made serializable ({@link LambdaPass}), then continuation
 *       points, save and restore blocks ({@link ContinuationPass}); a method that fails keeps its
 *       original code and is reported as skipped;</li>
 *   <li>the {@code <clinit>} prologue ({@link ClinitPass}) and the marker field;</li>
 *   <li>writing with frames computed from the class-bytes hierarchy; a method that became too large
 *       is put back as it was and the class written again.</li>
 * </ol>
 * Instances are thread-safe and share a cache of the class hierarchy.
 */
public final class Instrumenter {
    /** Synthetic static field that marks a class as already rewritten. */
    public static final String MARKER_FIELD = "$stasis$instrumented";

    private final ClassHierarchy hierarchy;

    public Instrumenter(ClassBytesSource classBytes) {
        this.hierarchy = new ClassHierarchy(classBytes);
    }

    /** Never throws for a bad method: such methods are left alone and listed as skipped. */
    public InstrumentationResult instrument(byte[] classBytes) {
        String fingerprint = ClassFingerprint.of(classBytes == null ? new byte[0] : classBytes);
        ClassNode original = new ClassNode();
        ClassNode work = new ClassNode();
        try {
            ClassReader reader = new ClassReader(classBytes);
            reader.accept(original, ClassReader.SKIP_FRAMES);
            hierarchy.register(new ClassHierarchy.ClassInfo(original.name, original.superName,
                    List.copyOf(original.interfaces), (original.access & Opcodes.ACC_INTERFACE) != 0,
                    (original.access & Opcodes.ACC_PUBLIC) != 0));
            reader.accept(needsExplicitSerialVersionUid(original) ? new SerialVersionUIDAdder(work) : work,
                    ClassReader.SKIP_FRAMES);
        } catch (RuntimeException e) {
            String name = "<unparseable class>";
            return new InstrumentationResult(name, null, fingerprint, Map.of(),
                    Map.of(name, "stasis: cannot parse the class file (" + e + "); the class runs uninstrumented"));
        }
        if ((work.access & Opcodes.ACC_MODULE) != 0 || isMarked(work)) {
            return new InstrumentationResult(work.name, null, fingerprint, Map.of(), Map.of());
        }
        return new ClassRewrite(original, work, fingerprint).run();
    }

    /**
     * A serializable class without a declared {@code serialVersionUID} gets the one its original
     * shape implies: the added {@code <clinit>} would otherwise change the default one, and objects
     * serialized by uninstrumented code would no longer deserialize (or the other way round).
     */
    private boolean needsExplicitSerialVersionUid(ClassNode type) {
        if ((type.access & (Opcodes.ACC_INTERFACE | Opcodes.ACC_ENUM | Opcodes.ACC_MODULE)) != 0
                || "java/lang/Record".equals(type.superName)
                || type.fields.stream().anyMatch(field -> "serialVersionUID".equals(field.name))) {
            return false;
        }
        return hierarchy.isAssignable("java/io/Serializable", type.name);
    }

    private static boolean isMarked(ClassNode type) {
        return type.fields.stream().anyMatch(field -> MARKER_FIELD.equals(field.name));
    }

    /** The state of rewriting one class. */
    private final class ClassRewrite {
        private final ClassNode original;
        private final ClassNode work;
        private final String fingerprint;
        private final Map<String, Integer> instrumented = new LinkedHashMap<>();
        private final Map<String, String> skipped = new LinkedHashMap<>();

        ClassRewrite(ClassNode original, ClassNode work, String fingerprint) {
            this.original = original;
            this.work = work;
            this.fingerprint = fingerprint;
        }

        InstrumentationResult run() {
            boolean hasJsr = work.methods.stream().anyMatch(Instrumenter::hasJsr);
            int major = work.version & 0xFFFF;
            boolean computeFrames = !(hasJsr && major <= Opcodes.V1_6);
            if (computeFrames && major < Opcodes.V1_6) {
                work.version = Opcodes.V1_6;
            }
            for (int i = 0; i < work.methods.size(); i++) {
                rewriteMethod(i);
            }
            ClinitPass.addPrologue(work);
            boolean isInterface = (work.access & Opcodes.ACC_INTERFACE) != 0;
            int markerAccess = (isInterface ? Opcodes.ACC_PUBLIC : Opcodes.ACC_PRIVATE)
                    | Opcodes.ACC_STATIC | Opcodes.ACC_FINAL | Opcodes.ACC_SYNTHETIC;
            work.fields.add(new FieldNode(markerAccess, MARKER_FIELD, "Z", null, 1));
            byte[] bytes = write(computeFrames ? ClassWriter.COMPUTE_FRAMES : ClassWriter.COMPUTE_MAXS);
            return new InstrumentationResult(work.name, bytes, fingerprint, Map.copyOf(instrumented),
                    Map.copyOf(skipped));
        }

        private void rewriteMethod(int index) {
            MethodNode method = work.methods.get(index);
            String key = InstrumentedClasses.key(work.name, method.name, method.desc);
            boolean eligible = (method.access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0
                    && !method.name.startsWith("<");
            if (hasJsr(method)) {
                if (eligible) {
                    skipped.put(key, "uses JSR/RET (pre-Java 6 subroutines); left as it was");
                }
                return;
            }
            LambdaPass.makeLambdasSerializable(method);
            if (!eligible) {
                return;
            }
            try {
                int points = ContinuationPass.instrument(work.name, method, hierarchy, key);
                if (points > 0) {
                    instrumented.put(key, points);
                }
            } catch (UninstrumentableException e) {
                revert(index, key, e.getMessage());
            } catch (AnalyzerException | RuntimeException e) {
                revert(index, key, "type analysis or rewriting failed: " + e.getMessage());
            }
        }

        private void revert(int index, String key, String reason) {
            work.methods.set(index, original.methods.get(index));
            instrumented.remove(key);
            skipped.put(key, reason);
        }

        private byte[] write(int flags) {
            while (true) {
                try {
                    ClassWriter writer = new HierarchyClassWriter(flags, hierarchy);
                    work.accept(writer);
                    return writer.toByteArray();
                } catch (MethodTooLargeException e) {
                    int index = indexOf(e.getMethodName(), e.getDescriptor());
                    String key = InstrumentedClasses.key(work.name, e.getMethodName(), e.getDescriptor());
                    if (index < 0 || work.methods.get(index) == original.methods.get(index)) {
                        skipped.put(work.name, "stasis: cannot write the class: " + e.getMessage()
                                + "; the class runs uninstrumented");
                        return null;
                    }
                    revert(index, key, "too large after instrumentation (" + e.getCodeSize()
                            + " bytes of code); left as it was");
                } catch (RuntimeException e) {
                    skipped.put(work.name, "stasis: cannot write the class: " + e + "; the class runs uninstrumented");
                    return null;
                }
            }
        }

        private int indexOf(String name, String descriptor) {
            for (int i = 0; i < work.methods.size() && i < original.methods.size(); i++) {
                MethodNode method = work.methods.get(i);
                if (method.name.equals(name) && method.desc.equals(descriptor)) {
                    return i;
                }
            }
            return -1;
        }
    }

    private static boolean hasJsr(MethodNode method) {
        for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn.getOpcode() == Opcodes.JSR || insn.getOpcode() == Opcodes.RET) {
                return true;
            }
        }
        return false;
    }
}
