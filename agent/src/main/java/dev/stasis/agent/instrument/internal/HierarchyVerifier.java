package dev.stasis.agent.instrument.internal;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.SimpleVerifier;

/**
 * A {@link SimpleVerifier} whose type hierarchy comes from class bytes, so analysing a method never
 * loads a class. Its subtype check is as lenient as the JVM's for interfaces: we need the types of
 * locals and stack slots, not a second verification of code the JVM already accepted.
 */
public class HierarchyVerifier extends SimpleVerifier {
    private static final Type OBJECT = Type.getObjectType("java/lang/Object");

    private final ClassHierarchy hierarchy;

    public HierarchyVerifier(ClassHierarchy hierarchy, Type currentClass) {
        super(Opcodes.ASM9, currentClass, null, null, false);
        this.hierarchy = hierarchy;
    }

    @Override
    protected boolean isInterface(Type type) {
        return type.getSort() == Type.OBJECT && hierarchy.isInterface(type.getInternalName());
    }

    @Override
    protected Type getSuperClass(Type type) {
        if (type.getSort() == Type.ARRAY) {
            return OBJECT;
        }
        String superName = hierarchy.superName(type.getInternalName());
        return superName == null ? null : Type.getObjectType(superName);
    }

    @Override
    protected boolean isAssignableFrom(Type sup, Type sub) {
        if (sup.equals(sub) || sup.equals(OBJECT) || isNull(sub)) {
            return true;
        }
        if (sup.getSort() == Type.ARRAY) {
            if (sub.getSort() != Type.ARRAY) {
                return false;
            }
            Type supElement = componentOf(sup);
            Type subElement = componentOf(sub);
            boolean refs = isReference(supElement) && isReference(subElement);
            return refs ? isAssignableFrom(supElement, subElement) : supElement.equals(subElement);
        }
        if (sub.getSort() == Type.ARRAY) {
            String name = sup.getInternalName();
            return name.equals("java/lang/Cloneable") || name.equals("java/io/Serializable");
        }
        return hierarchy.isAssignable(sup.getInternalName(), sub.getInternalName());
    }

    @Override
    protected boolean isSubTypeOf(BasicValue value, BasicValue expected) {
        Type expectedType = expected.getType();
        Type type = value.getType();
        if (expectedType != null && isReference(expectedType) && type != null && isReference(type)) {
            return true;
        }
        return super.isSubTypeOf(value, expected);
    }

    @Override
    protected Class<?> getClass(Type type) {
        throw new UnsupportedOperationException("stasis: the instrumenter never loads classes (asked for "
                + type.getClassName() + ")");
    }

    /** The analyser's type of {@code null}, which has no class. */
    public static boolean isNull(Type type) {
        return type.getSort() == Type.OBJECT && "null".equals(type.getInternalName());
    }

    private static boolean isReference(Type type) {
        return type.getSort() == Type.OBJECT || type.getSort() == Type.ARRAY;
    }

    private static Type componentOf(Type array) {
        return Type.getType(array.getDescriptor().substring(1));
    }
}
