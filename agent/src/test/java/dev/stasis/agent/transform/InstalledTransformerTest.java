package dev.stasis.agent.transform;

import dev.stasis.agent.instrument.InstrumentationResult;
import dev.stasis.runtime.internal.registry.InstrumentedClasses;
import net.bytebuddy.agent.ByteBuddyAgent;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The transformer registered with a real Instrumentation, as the agent does it. */
class InstalledTransformerTest {

    /** {@code com.acme.Answer implements Supplier<Object>} whose get() returns {@code answer}. */
    private static byte[] answerClass(String answer) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "com/acme/Answer", null, "java/lang/Object", new String[] {"java/util/function/Supplier"});
        MethodVisitor init = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitVarInsn(Opcodes.ALOAD, 0);
        init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(0, 0);
        MethodVisitor get = cw.visitMethod(Opcodes.ACC_PUBLIC, "get", "()Ljava/lang/Object;", null, null);
        get.visitLdcInsn(answer);
        get.visitInsn(Opcodes.ARETURN);
        get.visitMaxs(0, 0);
        cw.visitEnd();
        return cw.toByteArray();
    }

    private static final class OneClassLoader extends ClassLoader {
        OneClassLoader() {
            super(ClassLoader.getSystemClassLoader());
        }

        Class<?> define(byte[] bytes) {
            return defineClass(null, bytes, 0, bytes.length);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void the_jvm_loads_the_rewritten_bytes_and_the_registry_records_the_class() throws Exception {
        Instrumentation inst = ByteBuddyAgent.install();
        InstrumentedClasses registry = new InstrumentedClasses();
        List<String> seen = new CopyOnWriteArrayList<>();
        ClassRewriter rewriter = (loader, bytes) -> {
            seen.add(loader.getClass().getSimpleName());
            return new InstrumentationResult("com/acme/Answer", answerClass("rewritten"), "fp-answer",
                    Map.of("com/acme/Answer.get()Ljava/lang/Object;", 1), Map.of());
        };
        StasisTransformer transformer = new StasisTransformer(new ClassFilter(List.of("com/acme"), List.of()), rewriter, registry);
        inst.addTransformer(transformer, true);
        try {
            Class<?> answer = new OneClassLoader().define(answerClass("original"));
            Supplier<Object> lambda = () -> "a lambda is a hidden class and never reaches the transformer";
            lambda.get();

            assertThat(((Supplier<Object>) answer.getDeclaredConstructor().newInstance()).get()).isEqualTo("rewritten");
            assertThat(seen).containsExactly("OneClassLoader");
            assertThat(registry.fingerprints()).containsOnlyKeys("com/acme/Answer");
            assertThat(registry.isInstrumented("com/acme/Answer.get()Ljava/lang/Object;")).isTrue();
        } finally {
            inst.removeTransformer(transformer);
        }
    }
}
