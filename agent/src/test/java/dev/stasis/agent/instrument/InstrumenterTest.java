package dev.stasis.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.runtime.internal.registry.ClassFingerprint;
import java.io.ObjectStreamClass;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.util.Textifier;
import org.objectweb.asm.util.TraceMethodVisitor;

/** What the instrumenter writes and reports, class by class. */
class InstrumenterTest {
    private static final String TARGETS = "dev/stasis/agent/instrument/targets/";
    private final Instrumenter instrumenter = new Instrumenter(ClassBytesSource.fromLoader(getClass().getClassLoader()));

    @Test
    void reports_fingerprint_of_original_bytes_and_point_counts_by_method_key() {
        byte[] original = targetBytes("DispatchTarget");

        InstrumentationResult result = instrument(original);

        assertThat(result.className()).isEqualTo(TARGETS + "DispatchTarget");
        assertThat(result.fingerprint()).isEqualTo(ClassFingerprint.of(original));
        assertThat(result.instrumentedMethods())
                .containsEntry(TARGETS + "DispatchTarget.fib(I)J", 3)
                .containsEntry(TARGETS + "DispatchTarget.sum(I)I", 2)
                .containsEntry(TARGETS + "DispatchTarget.deep(I)I", 3)
                .containsEntry(TARGETS + "DispatchTarget.run()Ljava/lang/String;", 7);
        assertThat(result.skippedMethods()).isEmpty();
    }

    @Test
    void puts_back_a_method_whose_rewritten_code_would_not_verify() throws Exception {
        // A hierarchy that wrongly says ArrayList is not public: restored receivers are then cast to
        // AbstractList, and ArrayList.add on them would be a VerifyError when the class loads.
        ClassBytesSource real = ClassBytesSource.fromLoader(getClass().getClassLoader());
        Instrumenter misled = new Instrumenter(name -> "java/util/ArrayList".equals(name)
                ? withoutPublic(real.bytesOf(name)) : real.bytesOf(name));
        byte[] original = targetBytes("ListReceiverTarget");

        InstrumentationResult result = misled.instrument(original);

        String run = TARGETS + "ListReceiverTarget.run()I";
        assertThat(result.instrumentedMethods()).doesNotContainKey(run);
        assertThat(result.skippedMethods().get(run)).startsWith("the rewritten code does not verify (");
        assertThat(GeneratedClasses.define(result.bytes()).getMethod("run").invoke(null)).isEqualTo(3);
    }

    private static byte[] withoutPublic(byte[] classBytes) {
        byte[] copy = classBytes.clone();
        ClassReader reader = new ClassReader(copy);
        int accessOffset = reader.header;
        int access = ((copy[accessOffset] & 0xFF) << 8) | (copy[accessOffset + 1] & 0xFF);
        access &= ~Opcodes.ACC_PUBLIC;
        copy[accessOffset] = (byte) (access >>> 8);
        copy[accessOffset + 1] = (byte) access;
        return copy;
    }

    @Test
    void leaves_methods_without_call_points_or_loops_untouched() {
        byte[] original = targetBytes("PrimitivesTarget");

        InstrumentationResult result = instrument(original);

        String mix = TARGETS + "PrimitivesTarget.mix(IJD)J";
        assertThat(result.instrumentedMethods()).doesNotContainKey(mix).containsKey(TARGETS + "PrimitivesTarget.bump(I)I");
        assertThat(result.skippedMethods()).doesNotContainKey(mix);
        assertThat(methodText(result.bytes(), "mix")).isEqualTo(methodText(original, "mix"));
    }

    @Test
    void keeps_javac_frames_of_untouched_methods_when_the_hierarchy_cannot_be_read() throws Exception {
        Instrumenter blind = new Instrumenter(name -> null);
        byte[] original = targetBytes("FramesTarget");

        InstrumentationResult result = blind.instrument(original);

        assertThat(result.instrumentedMethods()).containsOnlyKeys(TARGETS + "FramesTarget.loop(I)I");
        assertThat(result.skippedMethods()).containsOnlyKeys(TARGETS + "FramesTarget.pickAndLoop(Z)I");
        assertThat(result.skippedMethods().get(TARGETS + "FramesTarget.pickAndLoop(Z)I"))
                .contains("class file of " + TARGETS + "FramesTarget$");
        Class<?> loaded = GeneratedClasses.define(result.bytes());
        assertThat(loaded.getMethod("pickAndLoop", boolean.class).invoke(null, true)).isEqualTo(4);
        assertThat(loaded.getMethod("pick", boolean.class).invoke(null, false)).isEqualTo(2);
        assertThat(loaded.getMethod("loop", int.class).invoke(null, 4)).isEqualTo(6);
    }

    @Test
    void never_instruments_the_same_bytes_twice() {
        InstrumentationResult first = instrument(targetBytes("LoopsTarget"));

        InstrumentationResult second = instrumenter.instrument(first.bytes());

        assertThat(second.bytes()).isNull();
        assertThat(second.instrumentedMethods()).isEmpty();
        assertThat(second.skippedMethods()).isEmpty();
    }

    @Test
    void starts_every_static_initialiser_with_the_initializing_prologue() {
        for (String target : List.of("ClinitTarget", "ClinitTarget$Constants", "DispatchTarget$Shape",
                "DispatchTarget$Square")) {
            InstrumentationResult result = instrument(targetBytes(target));

            List<AbstractInsnNode> code = realInstructions(method(result.bytes(), "<clinit>"));
            assertThat(((LdcInsnNode) code.get(0)).cst).as(target).isEqualTo(Type.getObjectType(TARGETS + target));
            MethodInsnNode call = (MethodInsnNode) code.get(1);
            assertThat(call.owner + "." + call.name + call.desc)
                    .isEqualTo("dev/stasis/rt/Stasis.initializing(Ljava/lang/Class;)Z");
            assertThat(code.get(2).getOpcode()).isEqualTo(Opcodes.IFEQ);
            assertThat(code.get(3).getOpcode()).isEqualTo(Opcodes.RETURN);
        }
    }

    @Test
    void keeps_the_original_static_initialiser_after_the_prologue() throws Exception {
        Rewinding.install();
        try {
            assertThat(Rewinding.run(Rewinding.instrumented("ClinitTarget"))).isEqualTo("[a, b] 2");
        } finally {
            Rewinding.uninstall();
        }
    }

    @Test
    void links_lambdas_through_alt_metafactory_with_flag_serializable() {
        InstrumentationResult result = instrument(targetBytes("LambdaTarget"));

        List<InvokeDynamicInsnNode> lambdas = new ArrayList<>();
        for (MethodNode method : classNode(result.bytes()).methods) {
            for (AbstractInsnNode insn : method.instructions) {
                if (insn instanceof InvokeDynamicInsnNode indy
                        && indy.bsm.getOwner().equals("java/lang/invoke/LambdaMetafactory")) {
                    lambdas.add(indy);
                }
            }
        }
        assertThat(lambdas).hasSizeGreaterThanOrEqualTo(5).allSatisfy(indy -> {
            assertThat(indy.bsm.getName()).isEqualTo("altMetafactory");
            assertThat(indy.bsmArgs).hasSize(4);
            assertThat(indy.bsmArgs[3]).isEqualTo(java.lang.invoke.LambdaMetafactory.FLAG_SERIALIZABLE);
            assertThat(indy.bsmArgs[1]).isInstanceOf(Handle.class);
        });
    }

    @Test
    void skips_jsr_methods_and_keeps_the_class_version() throws Exception {
        byte[] original = GeneratedClasses.generate(Opcodes.V1_4, GeneratedClasses::jsrMethod);

        InstrumentationResult result = instrument(original);

        assertThat(result.skippedMethods()).containsOnlyKeys(GeneratedClasses.NAME + ".withJsr()I");
        assertThat(result.skippedMethods().get(GeneratedClasses.NAME + ".withJsr()I")).contains("JSR/RET");
        assertThat(result.instrumentedMethods()).containsOnlyKeys(GeneratedClasses.NAME + ".caller()I");
        assertThat(classNode(result.bytes()).version).isEqualTo(Opcodes.V1_4);
        assertThat(methodText(result.bytes(), "withJsr")).isEqualTo(methodText(original, "withJsr"));
        Class<?> loaded = GeneratedClasses.define(result.bytes());
        assertThat(loaded.getMethod("withJsr").invoke(null)).isEqualTo(2);
        assertThat(loaded.getMethod("caller").invoke(null)).isEqualTo(2);
    }

    @Test
    void raises_class_versions_below_50_so_frames_can_be_computed() throws Exception {
        InstrumentationResult result = instrument(GeneratedClasses.generate(Opcodes.V1_5, writer -> { }));

        assertThat(classNode(result.bytes()).version).isEqualTo(Opcodes.V1_6);
        assertThat(GeneratedClasses.define(result.bytes()).getMethod("caller").invoke(null)).isEqualTo(2);
    }

    @Test
    void keeps_an_old_class_version_when_frames_would_rest_on_unreadable_classes() throws Exception {
        InstrumentationResult result = new Instrumenter(name -> null)
                .instrument(GeneratedClasses.generate(Opcodes.V1_5, GeneratedClasses::mergingMethod));

        InstrumentingLoader.verify(result.bytes(), getClass().getClassLoader());
        assertThat(classNode(result.bytes()).version).isEqualTo(Opcodes.V1_5);
        assertThat(result.instrumentedMethods()).containsOnlyKeys(GeneratedClasses.NAME + ".caller()I",
                GeneratedClasses.NAME + ".merge(Z)Ljava/lang/String;");
        Class<?> loaded = GeneratedClasses.define(result.bytes());
        assertThat(loaded.getMethod("merge", boolean.class).invoke(null, false)).isEqualTo("buffer");
        assertThat(loaded.getMethod("caller").invoke(null)).isEqualTo(2);
    }

    @Test
    void skips_a_method_whose_new_without_dup_lives_across_a_call() throws Exception {
        byte[] original = GeneratedClasses.generate(Opcodes.V1_5, GeneratedClasses::newWithoutDup);

        InstrumentationResult result = instrument(original);

        String key = GeneratedClasses.NAME + ".oddNew()Ljava/lang/Object;";
        assertThat(result.skippedMethods()).containsOnlyKeys(key);
        assertThat(result.skippedMethods().get(key)).contains("NEW java/lang/Object without a DUP");
        assertThat(result.instrumentedMethods()).containsKey(GeneratedClasses.NAME + ".caller()I");
        assertThat(methodText(result.bytes(), "oddNew")).isEqualTo(methodText(original, "oddNew"));
        assertThat(GeneratedClasses.define(result.bytes()).getMethod("oddNew").invoke(null)).isNotNull();
    }

    @Test
    void puts_back_a_method_that_is_too_large_once_instrumented() throws Exception {
        byte[] original = GeneratedClasses.generate(Opcodes.V1_5, GeneratedClasses::hugeMethod);

        InstrumentationResult result = instrument(original);

        String key = GeneratedClasses.NAME + ".huge()I";
        assertThat(result.skippedMethods()).containsOnlyKeys(key);
        assertThat(result.skippedMethods().get(key)).contains("too large");
        assertThat(result.instrumentedMethods()).containsOnlyKeys(GeneratedClasses.NAME + ".caller()I");
        assertThat(methodText(result.bytes(), "huge")).isEqualTo(methodText(original, "huge"));
        assertThat(GeneratedClasses.define(result.bytes()).getMethod("huge").invoke(null)).isEqualTo(51);
    }

    @Test
    void skips_a_method_that_fails_type_analysis_and_instruments_the_rest() {
        // Deliberately invalid bytecode (the JVM would reject it too), so it is not verified or loaded.
        byte[] original = GeneratedClasses.generate(Opcodes.V1_5, GeneratedClasses::brokenMethod);

        InstrumentationResult result = instrumenter.instrument(original);

        String key = GeneratedClasses.NAME + ".broken()V";
        assertThat(result.skippedMethods()).containsOnlyKeys(key);
        assertThat(result.skippedMethods().get(key)).contains("analysis");
        assertThat(result.instrumentedMethods()).containsOnlyKeys(GeneratedClasses.NAME + ".caller()I");
        assertThat(methodText(result.bytes(), "broken")).isEqualTo(methodText(original, "broken"));
    }

    @Test
    void keeps_the_default_serial_version_uid_of_serializable_classes() throws Exception {
        for (String target : List.of("SerializableTarget", "SerializableTarget$Child")) {
            Class<?> original = Class.forName(InstrumentingLoader.TARGETS + target);

            Class<?> instrumented = Rewinding.instrumented(target);

            assertThat(ObjectStreamClass.lookup(instrumented).getSerialVersionUID()).as(target)
                    .isEqualTo(ObjectStreamClass.lookup(original).getSerialVersionUID());
        }
    }

    @Test
    void returns_no_bytes_and_the_reason_for_a_class_file_it_cannot_parse() {
        byte[] garbage = {(byte) 0xCA, (byte) 0xFE, 1, 2, 3};

        InstrumentationResult result = instrumenter.instrument(garbage);

        assertThat(result.bytes()).isNull();
        assertThat(result.fingerprint()).isEqualTo(ClassFingerprint.of(garbage));
        assertThat(result.skippedMethods()).hasSize(1);
        assertThat(result.skippedMethods().values().iterator().next()).contains("cannot parse");
    }

    /** Instruments and checks the result with {@link org.objectweb.asm.util.CheckClassAdapter}. */
    private InstrumentationResult instrument(byte[] original) {
        InstrumentationResult result = instrumenter.instrument(original);
        assertThat(result.bytes()).isNotNull();
        InstrumentingLoader.verify(result.bytes(), getClass().getClassLoader());
        return result;
    }

    private byte[] targetBytes(String simpleName) {
        return InstrumentingLoader.readClass(getClass().getClassLoader(), InstrumentingLoader.TARGETS + simpleName);
    }

    private static ClassNode classNode(byte[] bytes) {
        ClassNode node = new ClassNode();
        new ClassReader(bytes).accept(node, ClassReader.SKIP_FRAMES);
        return node;
    }

    private static MethodNode method(byte[] bytes, String name) {
        return classNode(bytes).methods.stream().filter(m -> m.name.equals(name)).findFirst().orElseThrow();
    }

    private static List<AbstractInsnNode> realInstructions(MethodNode method) {
        List<AbstractInsnNode> real = new ArrayList<>();
        for (AbstractInsnNode insn : method.instructions) {
            if (insn.getOpcode() >= 0) {
                real.add(insn);
            }
        }
        return real;
    }

    private static String methodText(byte[] bytes, String name) {
        Textifier textifier = new Textifier();
        method(bytes, name).accept(new TraceMethodVisitor(textifier));
        StringWriter text = new StringWriter();
        textifier.print(new PrintWriter(text));
        return text.toString();
    }
}
