package dev.stasis.agent.instrument.internal;

import dev.stasis.agent.instrument.ClassBytesSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;

/**
 * Super class, interfaces and kind of classes, read from their class files (never by loading
 * them). Classes that cannot be found or read are unknown: callers fall back to
 * {@code java/lang/Object}.
 */
public final class ClassHierarchy {
    /** What the hierarchy needs to know about one class. */
    public record ClassInfo(String name, String superName, List<String> interfaces, boolean isInterface,
                            boolean isPublic) {
    }

    private static final ClassInfo MISSING = new ClassInfo("", null, List.of(), false, false);

    private final ClassBytesSource source;
    private final Map<String, ClassInfo> cache = new ConcurrentHashMap<>();

    public ClassHierarchy(ClassBytesSource source) {
        this.source = source;
    }

    /** Makes a class known without reading it, e.g. the class being instrumented right now. */
    public void register(ClassInfo info) {
        cache.put(info.name(), info);
    }

    /** The class, or null when its class file cannot be found or parsed. */
    public ClassInfo info(String internalName) {
        ClassInfo info = cache.computeIfAbsent(internalName, this::read);
        return info == MISSING ? null : info;
    }

    private ClassInfo read(String internalName) {
        try {
            byte[] bytes = source.bytesOf(internalName);
            if (bytes == null) {
                return MISSING;
            }
            ClassReader reader = new ClassReader(bytes);
            return new ClassInfo(internalName, reader.getSuperName(), List.of(reader.getInterfaces()),
                    (reader.getAccess() & Opcodes.ACC_INTERFACE) != 0, (reader.getAccess() & Opcodes.ACC_PUBLIC) != 0);
        } catch (RuntimeException e) {
            return MISSING;
        }
    }

    public boolean isInterface(String internalName) {
        ClassInfo info = info(internalName);
        return info != null && info.isInterface();
    }

    /** Super class; {@code java/lang/Object} for unknown classes, null for Object itself. */
    public String superName(String internalName) {
        if ("java/lang/Object".equals(internalName)) {
            return null;
        }
        ClassInfo info = info(internalName);
        if (info == null || info.superName() == null) {
            return "java/lang/Object";
        }
        return info.superName();
    }

    /** True when a value of class {@code sub} may be used as {@code sup} (classes only, no arrays). */
    public boolean isAssignable(String sup, String sub) {
        if (sup.equals(sub) || "java/lang/Object".equals(sup)) {
            return true;
        }
        Deque<String> todo = new ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        todo.add(sub);
        while (!todo.isEmpty()) {
            String current = todo.poll();
            if (!seen.add(current)) {
                continue;
            }
            if (current.equals(sup)) {
                return true;
            }
            ClassInfo info = info(current);
            if (info == null) {
                continue;
            }
            if (info.superName() != null) {
                todo.add(info.superName());
            }
            todo.addAll(info.interfaces());
        }
        return false;
    }

    /**
     * {@code internalName} or its nearest super class that code in {@code from} may name (in a
     * {@code checkcast}): merged types can be package-private JDK classes such as
     * {@code java/lang/AbstractStringBuilder}. Unknown classes are assumed accessible.
     */
    public String accessibleAncestor(String internalName, String from) {
        String current = internalName;
        while (current != null && !isAccessible(current, from)) {
            current = superName(current);
        }
        return current == null ? "java/lang/Object" : current;
    }

    private boolean isAccessible(String internalName, String from) {
        if (packageOf(internalName).equals(packageOf(from))) {
            return true;
        }
        if (isUnexportedJdkPackage(internalName)) {
            return false;
        }
        ClassInfo info = info(internalName);
        return info == null || info.isPublic();
    }

    /**
     * JDK packages no application module can read. {@code sun.misc} and {@code sun.reflect} are the
     * exceptions: jdk.unsupported exports them, and code that calls {@code sun.misc.Unsafe} must keep
     * naming it, or its invokes stop verifying.
     */
    private static boolean isUnexportedJdkPackage(String internalName) {
        if (internalName.startsWith("sun/misc/") || internalName.startsWith("sun/reflect/")) {
            return false;
        }
        return internalName.startsWith("jdk/internal/") || internalName.startsWith("sun/");
    }

    private static String packageOf(String internalName) {
        int slash = internalName.lastIndexOf('/');
        return slash < 0 ? "" : internalName.substring(0, slash);
    }

    /** The most specific common super class, as the JVM's verifier merges two class types. */
    public String commonSuperClass(String a, String b) {
        if (isAssignable(a, b)) {
            return a;
        }
        if (isAssignable(b, a)) {
            return b;
        }
        if (isInterface(a) || isInterface(b) || info(a) == null || info(b) == null) {
            return "java/lang/Object";
        }
        String current = a;
        while (current != null && !isAssignable(current, b)) {
            current = superName(current);
        }
        return current == null ? "java/lang/Object" : current;
    }
}
