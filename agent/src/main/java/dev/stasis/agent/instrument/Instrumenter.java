package dev.stasis.agent.instrument;

import dev.stasis.agent.instrument.internal.BlockingCallPass;
import dev.stasis.agent.instrument.internal.CheckpointRestoreCallPass;
import dev.stasis.agent.instrument.internal.ClassHierarchy;
import dev.stasis.agent.instrument.internal.ClinitPass;
import dev.stasis.agent.instrument.internal.ContinuationPass;
import dev.stasis.agent.instrument.internal.HierarchyClassWriter;
import dev.stasis.agent.instrument.internal.LambdaPass;
import dev.stasis.agent.instrument.internal.LockCallPass;
import dev.stasis.agent.instrument.internal.OutputVerifier;
import dev.stasis.agent.instrument.internal.SaveHelpers;
import dev.stasis.agent.instrument.internal.TimeCallPass;
import dev.stasis.agent.instrument.internal.WaitCallPass;
import dev.stasis.agent.instrument.internal.UninstrumentableException;
import dev.stasis.runtime.internal.registry.ClassFingerprint;
import dev.stasis.runtime.internal.registry.InstrumentedClasses;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 *   <li>per method, on a copy: lambdas made serializable ({@link LambdaPass}), calls of
 *       {@code org.crac.Core.checkpointRestore()} turned into a wait the caller is captured in
 *       ({@link CheckpointRestoreCallPass}), {@code System.nanoTime()} put on the offset clock and
 *       {@code Thread.sleep} turned into a sleep the caller is captured in ({@link TimeCallPass}), every
 *       {@code java.util.concurrent} lock taken or given back counted per thread ({@link LockCallPass}: also in
 *       methods that get no points, so a poll need not ask the JVM which locks its thread holds), the waits
 *       that return holding a lock ({@code Condition.await*}, {@code Object.wait*}, {@code CyclicBarrier.await*})
 *       turned into waits the caller is captured in holding nothing ({@link WaitCallPass}), blocking calls
 *       that an interrupt can end turned into waits the caller is captured in ({@link BlockingCallPass}),
 *       then continuation points, save and restore blocks
 *       ({@link ContinuationPass}); a method that fails keeps its
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
        return new ClassRewrite(classBytes, original, work, fingerprint).run();
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
        private final byte[] originalBytes;
        private final ClassNode original;
        private final ClassNode work;
        private final String fingerprint;
        private final Map<String, Integer> instrumented = new LinkedHashMap<>();
        private final Map<String, String> skipped = new LinkedHashMap<>();
        private SaveHelpers saveHelpers;
        private int originalVersion;
        private boolean versionRaised;

        ClassRewrite(byte[] originalBytes, ClassNode original, ClassNode work, String fingerprint) {
            this.originalBytes = originalBytes;
            this.original = original;
            this.work = work;
            this.fingerprint = fingerprint;
        }

        InstrumentationResult run() {
            try {
                return rewrite();
            } catch (RuntimeException e) {
                return new InstrumentationResult(work.name, null, fingerprint, Map.of(), Map.of(work.name,
                        "stasis: cannot instrument the class (" + e + "); the class runs uninstrumented"));
            }
        }

        private InstrumentationResult rewrite() {
            boolean hasJsr = work.methods.stream().anyMatch(Instrumenter::hasJsr);
            originalVersion = work.version;
            int major = work.version & 0xFFFF;
            boolean computeFrames = !(hasJsr && major <= Opcodes.V1_6);
            versionRaised = computeFrames && major < Opcodes.V1_6;
            if (versionRaised) {
                work.version = Opcodes.V1_6;
            }
            saveHelpers = SaveHelpers.forClass(work.name, work.access, work.version);
            int originalMethods = work.methods.size();
            for (int i = 0; i < originalMethods; i++) {
                rewriteMethod(i);
            }
            if (saveHelpers != null) {
                work.methods.addAll(saveHelpers.methods());
            }
            ClinitPass.addPrologue(work);
            boolean isInterface = (work.access & Opcodes.ACC_INTERFACE) != 0;
            int markerAccess = (isInterface ? Opcodes.ACC_PUBLIC : Opcodes.ACC_PRIVATE)
                    | Opcodes.ACC_STATIC | Opcodes.ACC_FINAL | Opcodes.ACC_SYNTHETIC;
            work.fields.add(new FieldNode(markerAccess, MARKER_FIELD, "Z", null, 1));
            byte[] bytes = writeClass(computeFrames);
            OutputVerifier.Failure failure;
            while (bytes != null
                    && (failure = OutputVerifier.firstFailure(bytes, keysToVerify(), hierarchy)) != null) {
                int index = indexOf(failure.name(), failure.descriptor());
                if (index < 0) {
                    skipped.put(work.name, "stasis: the rewritten " + failure.key() + " does not verify ("
                            + failure.reason() + "); the class runs uninstrumented");
                    return new InstrumentationResult(work.name, null, fingerprint, Map.of(), Map.copyOf(skipped));
                }
                revert(index, failure.key(), "the rewritten code does not verify (" + failure.reason()
                        + "); left as it was");
                bytes = writeClass(computeFrames);
            }
            return new InstrumentationResult(work.name, bytes, fingerprint, Map.copyOf(instrumented),
                    Map.copyOf(skipped));
        }

        /** The rewritten methods and the save helpers they share: everything this class generated. */
        private Set<String> keysToVerify() {
            Set<String> keys = new HashSet<>(instrumented.keySet());
            if (saveHelpers != null) {
                saveHelpers.methods().forEach(helper -> keys.add(InstrumentedClasses.key(work.name, helper.name, helper.desc)));
            }
            return keys;
        }

        private byte[] writeClass(boolean computeFrames) {
            byte[] bytes = write(computeFrames ? ClassWriter.COMPUTE_FRAMES : ClassWriter.COMPUTE_MAXS);
            if (bytes != null && computeFrames && !versionRaised) {
                bytes = keepOriginalFrames(bytes);
            }
            return bytes;
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
            TimeCallPass.rewriteClock(method);
            LockCallPass.rewrite(method, hierarchy);
            if (!eligible) {
                return;
            }
            try {
                CheckpointRestoreCallPass.rewrite(work.name, work.version, method);
                TimeCallPass.rewriteSleeps(method);
                WaitCallPass.rewrite(method);
                BlockingCallPass.rewrite(method, hierarchy);
                int points = ContinuationPass.instrument(work.name, method, hierarchy, key, saveHelpers);
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

        private byte[] write(int initialFlags) {
            int flags = initialFlags;
            while (true) {
                try {
                    HierarchyClassWriter writer = new HierarchyClassWriter(flags, hierarchy);
                    work.accept(writer);
                    byte[] bytes = writer.toByteArray();
                    if (versionRaised && writer.firstUnknownType() != null) {
                        // Frames for every method would rest on guesses: keep the old version, which needs none.
                        work.version = originalVersion;
                        versionRaised = false;
                        flags = ClassWriter.COMPUTE_MAXS;
                        continue;
                    }
                    if (!revertMethodsWithUnknownTypes(writer, flags)) {
                        return bytes;
                    }
                } catch (MethodTooLargeException e) {
                    int index = indexOf(e.getMethodName(), e.getDescriptor());
                    if (index < 0 || work.methods.get(index) == original.methods.get(index)) {
                        skipped.put(work.name, "stasis: cannot write the class: " + e.getMessage()
                                + "; the class runs uninstrumented");
                        return null;
                    }
                    String key = InstrumentedClasses.key(work.name, e.getMethodName(), e.getDescriptor());
                    revert(index, key, "too large after instrumentation (" + e.getCodeSize()
                            + " bytes of code); left as it was");
                } catch (RuntimeException e) {
                    skipped.put(work.name, "stasis: cannot write the class: " + e + "; the class runs uninstrumented");
                    return null;
                }
            }
        }

        /**
         * When frames merged a class that could not be read, finds the rewritten methods whose own
         * frames need it (each written alone) and puts them back as they were; true if any.
         */
        private boolean revertMethodsWithUnknownTypes(HierarchyClassWriter writer, int flags) {
            if (writer.firstUnknownType() == null) {
                return false;
            }
            boolean reverted = false;
            for (int i = 0; i < work.methods.size(); i++) {
                MethodNode method = work.methods.get(i);
                String key = InstrumentedClasses.key(work.name, method.name, method.desc);
                String unknown = instrumented.containsKey(key) ? unknownTypeInFramesOf(method, flags) : null;
                if (unknown != null) {
                    revert(i, key, "the class file of " + unknown + " cannot be read, so the stack map frames of"
                            + " the rewritten method cannot be computed safely; left as it was");
                    reverted = true;
                }
            }
            return reverted;
        }

        private String unknownTypeInFramesOf(MethodNode method, int flags) {
            ClassNode alone = new ClassNode();
            alone.version = work.version;
            alone.access = work.access;
            alone.name = work.name;
            alone.superName = work.superName;
            alone.interfaces = work.interfaces;
            alone.methods.add(method);
            HierarchyClassWriter probe = new HierarchyClassWriter(flags, hierarchy);
            try {
                alone.accept(probe);
                probe.toByteArray();
            } catch (RuntimeException e) {
                return null;
            }
            return probe.firstUnknownType();
        }

        /**
         * Puts back the original code and stack map frames of every method that got no points (and of
         * the static initialiser, under its prologue):
         * frames computed from a partly unreadable hierarchy could be less precise than javac's and
         * fail verification of code we never meant to touch. Lambda call sites are relinked again.
         */
        private byte[] keepOriginalFrames(byte[] computed) {
            try {
                ClassNode framed = new ClassNode();
                new ClassReader(originalBytes).accept(framed, 0);
                ClassNode result = new ClassNode();
                new ClassReader(computed).accept(result, 0);
                for (int i = 0; i < result.methods.size(); i++) {
                    MethodNode method = result.methods.get(i);
                    String key = InstrumentedClasses.key(work.name, method.name, method.desc);
                    MethodNode originalMethod = framed.methods.stream()
                            .filter(m -> m.name.equals(method.name) && m.desc.equals(method.desc))
                            .findFirst().orElse(null);
                    if (originalMethod == null || instrumented.containsKey(key)) {
                        continue;
                    }
                    if (!skipped.containsKey(key)) {
                        LambdaPass.makeLambdasSerializable(originalMethod);
                        TimeCallPass.rewriteClock(originalMethod);
                    }
                    // Also in a method left as it was: a lock it takes or gives back must be counted like any other.
                    LockCallPass.rewrite(originalMethod, hierarchy);
                    if ("<clinit>".equals(method.name)) {
                        ClinitPass.prependPrologue(result, originalMethod, true);
                    }
                    result.methods.set(i, originalMethod);
                }
                ClassWriter writer = new ClassWriter(0);
                result.accept(writer);
                return writer.toByteArray();
            } catch (RuntimeException e) {
                return computed;
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
