package dev.stasis.agent.instrument.internal;

import org.objectweb.asm.ClassWriter;

/**
 * Computes stack map frames with the class-bytes hierarchy; an unknown class merges to Object.
 * Such a merge may be less precise than the code needs, so the writer remembers the first class it
 * could not read (merges are cached per writer, so this is per class, not per method).
 */
public final class HierarchyClassWriter extends ClassWriter {
    private final ClassHierarchy hierarchy;
    private String firstUnknownType;

    public HierarchyClassWriter(int flags, ClassHierarchy hierarchy) {
        super(flags);
        this.hierarchy = hierarchy;
    }

    @Override
    protected String getCommonSuperClass(String type1, String type2) {
        if (firstUnknownType == null) {
            firstUnknownType = firstUnknown(type1) != null ? firstUnknown(type1) : firstUnknown(type2);
        }
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

    /** The first class whose bytes could not be read while merging frames, or null. */
    public String firstUnknownType() {
        return firstUnknownType;
    }

    private String firstUnknown(String type) {
        String current = type;
        for (int depth = 0; current != null && depth < 64; depth++) {
            if (hierarchy.info(current) == null) {
                return current;
            }
            current = hierarchy.superName(current);
        }
        return null;
    }
}
