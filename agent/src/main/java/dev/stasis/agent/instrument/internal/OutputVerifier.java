package dev.stasis.agent.instrument.internal;

import dev.stasis.runtime.internal.registry.InstrumentedClasses;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;

/**
 * Checks the rewritten methods of a finished class the way the JVM's verifier would, with the type
 * hierarchy read from class bytes. A method that fails is put back as it was by the caller: a
 * {@code VerifyError} at class load would take the program down, which the agent must never do.
 */
public final class OutputVerifier {
    /** A rewritten method whose code does not verify. */
    public record Failure(String name, String descriptor, String key, String reason) {
    }

    private OutputVerifier() {
    }

    /** The first of the {@code rewritten} method keys whose code in {@code classBytes} does not verify, or null. */
    public static Failure firstFailure(byte[] classBytes, Set<String> rewritten, ClassHierarchy hierarchy) {
        ClassNode type = new ClassNode();
        new ClassReader(classBytes).accept(type, ClassReader.SKIP_FRAMES);
        for (MethodNode method : type.methods) {
            String key = InstrumentedClasses.key(type.name, method.name, method.desc);
            if (!rewritten.contains(key)) {
                continue;
            }
            try {
                new Analyzer<BasicValue>(new StrictVerifier(hierarchy, Type.getObjectType(type.name)))
                        .analyze(type.name, method);
            } catch (AnalyzerException | RuntimeException e) {
                return new Failure(method.name, method.desc, key, String.valueOf(e.getMessage()));
            }
        }
        return null;
    }

    /**
     * Checks class types as the JVM does. {@link HierarchyVerifier} accepts any reference where a
     * reference is expected, which is right for inferring types but would let a wrong cast through
     * here. Interfaces stay lenient (the JVM treats them as Object), and so do classes whose bytes
     * cannot be read: a method is put back only for a failure that is known to be real.
     */
    private static final class StrictVerifier extends HierarchyVerifier {
        private final ClassHierarchy hierarchy;

        StrictVerifier(ClassHierarchy hierarchy, Type currentClass) {
            super(hierarchy, currentClass);
            this.hierarchy = hierarchy;
        }

        @Override
        protected boolean isSubTypeOf(BasicValue value, BasicValue expected) {
            Type expectedType = expected.getType();
            Type type = value.getType();
            if (isClass(expectedType) && isClass(type) && !isNull(type)) {
                String sup = expectedType.getInternalName();
                String sub = type.getInternalName();
                if (hierarchy.info(sup) == null || hierarchy.info(sub) == null || hierarchy.isInterface(sup)) {
                    return true;
                }
                return hierarchy.isAssignable(sup, sub);
            }
            return super.isSubTypeOf(value, expected);
        }

        private static boolean isClass(Type type) {
            return type != null && type.getSort() == Type.OBJECT;
        }
    }
}
