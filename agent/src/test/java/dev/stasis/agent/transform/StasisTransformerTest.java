package dev.stasis.agent.transform;

import dev.stasis.agent.instrument.InstrumentationResult;
import dev.stasis.runtime.internal.registry.InstrumentedClasses;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StasisTransformerTest {
    private final ClassLoader app = new URLClassLoader(new URL[0], ClassLoader.getSystemClassLoader());
    private final InstrumentedClasses registry = new InstrumentedClasses();
    private final List<byte[]> seen = new ArrayList<>();
    private static final byte[] ORIGINAL = {1, 2, 3};
    private static final byte[] REWRITTEN = {4, 5, 6, 7};

    private StasisTransformer transformer(ClassRewriter rewriter) {
        return new StasisTransformer(new ClassFilter(List.of(), List.of("com/acme/gen")), rewriter, registry);
    }

    private ClassRewriter returning(byte[] bytes) {
        return (loader, classBytes) -> {
            seen.add(classBytes);
            return new InstrumentationResult("com/acme/Job", bytes, "fp-1",
                    Map.of("com/acme/Job.run()V", 3), Map.of("com/acme/Job.old()V", "has JSR/RET"));
        };
    }

    @Test
    void returns_the_rewritten_bytes_and_records_class_methods_and_skips() {
        byte[] out = transformer(returning(REWRITTEN)).transform(app, "com/acme/Job", null, null, ORIGINAL);

        assertThat(out).isEqualTo(REWRITTEN);
        assertThat(seen).containsExactly(ORIGINAL);
        assertThat(registry.fingerprint("com/acme/Job")).isEqualTo("fp-1");
        assertThat(registry.isInstrumented("com/acme/Job.run()V")).isTrue();
        assertThat(registry.skipReason("com/acme/Job.old()V")).isEqualTo("has JSR/RET");
    }

    @Test
    void returns_null_for_a_class_left_unchanged_but_still_records_its_fingerprint() {
        byte[] out = transformer(returning(null)).transform(app, "com/acme/Job", null, null, ORIGINAL);

        assertThat(out).isNull();
        assertThat(registry.isKnownClass("com/acme/Job")).isTrue();
    }

    @Test
    void leaves_a_failing_class_as_it_was_and_records_why() {
        ClassRewriter failing = (loader, bytes) -> {
            throw new IllegalStateException("broken frame in run()V");
        };

        byte[] out = transformer(failing).transform(app, "com/acme/Job", null, null, ORIGINAL);

        assertThat(out).isNull();
        assertThat(registry.failureReason("com/acme/Job")).isEqualTo("java.lang.IllegalStateException: broken frame in run()V");
        assertThat(registry.isKnownClass("com/acme/Job")).isFalse();
    }

    @Test
    void survives_errors_too() {
        ClassRewriter failing = (loader, bytes) -> {
            throw new StackOverflowError();
        };

        assertThat(transformer(failing).transform(app, "com/acme/Job", null, null, ORIGINAL)).isNull();
        assertThat(registry.failureReason("com/acme/Job")).isEqualTo("java.lang.StackOverflowError");
    }

    @Test
    void skips_filtered_classes_without_calling_the_instrumenter() {
        StasisTransformer t = transformer(returning(REWRITTEN));

        assertThat(t.transform(null, "com/acme/Job", null, null, ORIGINAL)).isNull();
        assertThat(t.transform(ClassLoader.getPlatformClassLoader(), "com/acme/Job", null, null, ORIGINAL)).isNull();
        assertThat(t.transform(app, "dev/stasis/agent/StasisAgent", null, null, ORIGINAL)).isNull();
        assertThat(t.transform(app, null, null, null, ORIGINAL)).isNull();
        assertThat(t.transform(app, "com/acme/gen/Parser", null, null, ORIGINAL)).isNull();
        assertThat(seen).isEmpty();
        assertThat(registry.fingerprints()).isEmpty();
    }

    @Test
    void a_class_defined_without_a_name_is_identified_from_its_bytes() {
        byte[] classfile = new org.objectweb.asm.ClassWriter(0) {
            {
                visit(org.objectweb.asm.Opcodes.V17, org.objectweb.asm.Opcodes.ACC_PUBLIC, "com/acme/Job", null, "java/lang/Object", null);
                visitEnd();
            }
        }.toByteArray();

        assertThat(transformer(returning(REWRITTEN)).transform(app, null, null, null, classfile)).isEqualTo(REWRITTEN);
        assertThat(registry.fingerprint("com/acme/Job")).isEqualTo("fp-1");
    }

    @Test
    void leaves_retransformed_classes_alone() {
        assertThat(transformer(returning(REWRITTEN)).transform(app, "com/acme/Job", String.class, null, ORIGINAL)).isNull();
        assertThat(seen).isEmpty();
    }

    @Test
    void a_class_loaded_while_instrumenting_another_is_left_alone_instead_of_recursing() {
        StasisTransformer[] self = new StasisTransformer[1];
        byte[][] nested = new byte[1][];
        ClassRewriter loadingAnother = (loader, bytes) -> {
            nested[0] = self[0].transform(app, "com/acme/Helper", null, null, ORIGINAL);
            return new InstrumentationResult("com/acme/Job", REWRITTEN, "fp", Map.of(), Map.of());
        };
        self[0] = transformer(loadingAnother);

        assertThat(self[0].transform(app, "com/acme/Job", null, null, ORIGINAL)).isEqualTo(REWRITTEN);
        assertThat(nested[0]).isNull();
        assertThat(registry.failureReason("com/acme/Helper")).isEqualTo("loaded while Stasis was instrumenting another class");
        assertThat(self[0].transform(app, "com/acme/Other", null, null, ORIGINAL)).isEqualTo(REWRITTEN);
    }
}
