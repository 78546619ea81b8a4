package dev.stasis.runtime.internal.snapshot.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Ties the classes an object graph uses to the snapshot's class list. Writing, it records every
 * class Kryo needs a serializer for without a fixed id (objects' classes, classes written by name,
 * declared field types) and every class a serializer names in a string (a lambda's capturing
 * class, a class whose statics are saved). Reading, it refuses any other class: a name in the data
 * before {@code Class.forName} sees it, a class reached otherwise (a field's declared type) before
 * Kryo builds a serializer for it or creates an instance. So no class outside the list is
 * initialised, and none named in the data is even loaded.
 */
public final class ManifestClassResolver extends DefaultClassResolver {
    private final Set<String> recorded;
    private final Set<String> allowed;

    private ManifestClassResolver(Set<String> recorded, Set<String> allowed) {
        this.recorded = recorded;
        this.allowed = allowed;
    }

    static ManifestClassResolver recording() {
        return new ManifestClassResolver(new LinkedHashSet<>(), null);
    }

    static ManifestClassResolver allowing(List<String> classNames) {
        return new ManifestClassResolver(null, Set.copyOf(classNames));
    }

    static ManifestClassResolver of(Kryo kryo) {
        return (ManifestClassResolver) kryo.getClassResolver();
    }

    /** Every class name written so far, in order of first appearance (so equal graphs give equal files). */
    public List<String> recordedNames() {
        return recorded == null ? List.of() : new ArrayList<>(recorded);
    }

    /** Writing: {@code binaryName} (e.g. {@code a.B$C}, {@code [La.B;}) is named in the graph. */
    void note(String binaryName) {
        if (recorded != null) {
            recorded.add(binaryName);
        }
    }

    /** Reading: refuses {@code binaryName} unless the class list has it; {@code use} says what names it. */
    void requireListed(String binaryName, String use) {
        if (allowed != null && !allowed.contains(binaryName)) {
            throw new RefusedReadException(use + " " + binaryName + ", which the snapshot's class list does not"
                    + " have: refused before loading it (the data was altered, or written by something other than Stasis)");
        }
    }

    @Override
    protected void writeName(Output output, Class type, Registration registration) {
        if (recorded != null && (classToNameId == null || classToNameId.get(type, -1) == -1)) {
            note(type.getName());
        }
        super.writeName(output, type, registration);
    }

    /** Once per class without a fixed id, before its serializer exists. */
    @Override
    public Registration registerImplicit(Class type) {
        note(type.getName());
        requireListed(type.getName(), "the data needs class");
        return super.registerImplicit(type);
    }

    /** Kryo's one look-up before {@code Class.forName} for a class read by name. */
    @Override
    protected Class getTypeByName(String className) {
        requireListed(className, "the data names class");
        return super.getTypeByName(className);
    }

    /**
     * A JDK class this JVM lacks means the snapshot was taken on another JDK, not that the file is damaged: said
     * as such (a virtual thread needs JDK 21 or later), and the snapshot is left alone for a JVM that can read it.
     */
    @Override
    public Registration readClass(Input input) {
        try {
            return super.readClass(input);
        } catch (KryoException e) {
            String missing = missingJdkClass(e);
            if (missing == null) {
                throw e;
            }
            throw new OtherJdkException(otherJdkReason(missing));
        }
    }

    static String otherJdkReason(String missing) {
        return "the data needs JDK class " + missing + ", which this JVM (Java " + System.getProperty("java.version")
                + ") does not have" + (missing.equals("java.lang.VirtualThread")
                ? ": the snapshot holds virtual threads; resume it on JDK 21 or later"
                : ": resume it on the JDK that took it");
    }

    private static String missingJdkClass(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ClassNotFoundException && cause.getMessage() != null
                    && (cause.getMessage().startsWith("java.") || cause.getMessage().startsWith("jdk."))) {
                return cause.getMessage();
            }
        }
        return null;
    }
}
