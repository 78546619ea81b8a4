package dev.stasis.agent.instrument.internal;

import org.objectweb.asm.ClassWriter;

/** Computes stack map frames with the class-bytes hierarchy; an unknown class merges to Object. */
public final class HierarchyClassWriter extends ClassWriter {
    private final ClassHierarchy hierarchy;

    public HierarchyClassWriter(int flags, ClassHierarchy hierarchy) {
        super(flags);
        this.hierarchy = hierarchy;
    }

    @Override
    protected String getCommonSuperClass(String type1, String type2) {
        try {
            return hierarchy.commonSuperClass(type1, type2);
        } catch (RuntimeException e) {
            return "java/lang/Object";
        }
    }

    @Override
    protected ClassLoader getClassLoader() {
        throw new UnsupportedOperationException("stasis: the instrumenter never loads classes");
    }
}
