package dev.stasis.runtime.internal.snapshot.kryo;

import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Renders the path of a {@link CapturePathException}: for each object on it, how the next one
 * hangs off it ({@code java.util.ArrayList[2]}, {@code c.D.thread}). Runs only on failure, so it
 * may use reflection freely.
 */
final class PathDescriber {
    /** Longer paths (deep lists) show their ends only. */
    private static final int SHOWN_AT_EACH_END = 12;

    private PathDescriber() {
    }

    static String typeName(Object object) {
        return object == null ? "null" : object.getClass().getName();
    }

    /** Appends {@code " -> link"} for each parent/child pair, root side first. */
    static void appendLinks(StringBuilder s, List<Object> chain) {
        int links = chain.size() - 1;
        for (int i = 0; i < links; i++) {
            if (links > 2 * SHOWN_AT_EACH_END && i == SHOWN_AT_EACH_END) {
                s.append(" -> ... (").append(links - 2 * SHOWN_AT_EACH_END).append(" more)");
                i = links - SHOWN_AT_EACH_END - 1;
                continue;
            }
            Object parent = chain.get(links - i);
            Object child = chain.get(links - i - 1);
            s.append(" -> ").append(link(parent, child));
        }
    }

    static String link(Object parent, Object child) {
        try {
            String found = findLink(parent, child);
            return found != null ? found : typeName(parent);
        } catch (RuntimeException | LinkageError e) {
            return typeName(parent);
        }
    }

    private static String findLink(Object parent, Object child) {
        Class<?> type = parent.getClass();
        if (type.isArray()) {
            for (int i = 0, n = Array.getLength(parent); i < n; i++) {
                if (!type.getComponentType().isPrimitive() && Array.get(parent, i) == child) {
                    return type.getComponentType().getName() + "[" + i + "]";
                }
            }
            return null;
        }
        if (parent instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (e.getValue() == child) {
                    return type.getName() + "[" + shortly(e.getKey()) + "]";
                }
                if (e.getKey() == child) {
                    return type.getName() + ".key(" + shortly(e.getKey()) + ")";
                }
            }
        }
        if (parent instanceof Collection<?> collection) {
            int i = 0;
            for (Object element : collection) {
                if (element == child) {
                    return type.getName() + "[" + i + "]";
                }
                i++;
            }
        }
        SerializedLambda lambda = LambdaSerializer.serializedForm(parent);
        if (lambda != null) {
            for (int i = 0; i < lambda.getCapturedArgCount(); i++) {
                if (lambda.getCapturedArg(i) == child) {
                    return "lambda " + lambda.getImplClass().replace('/', '.') + "." + lambda.getImplMethodName()
                            + " captured arg " + i;
                }
            }
        }
        return fieldHolding(parent, child);
    }

    private static String fieldHolding(Object parent, Object child) {
        for (Class<?> c = parent.getClass(); c != null; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive() || !f.trySetAccessible()) {
                    continue;
                }
                try {
                    if (f.get(parent) == child) {
                        return c.getName() + "." + f.getName();
                    }
                } catch (IllegalAccessException e) {
                    // not readable: try the next field
                }
            }
        }
        return null;
    }

    /**
     * The value of the reference field {@code name} of {@code owner} (searching superclasses), or
     * null; primitive fields yield null because their values cannot fail to serialize.
     */
    static Object fieldValue(Object owner, String name) {
        for (Class<?> c = owner.getClass(); c != null; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getName().equals(name) && !Modifier.isStatic(f.getModifiers()) && !f.getType().isPrimitive()
                        && f.trySetAccessible()) {
                    try {
                        return f.get(owner);
                    } catch (IllegalAccessException e) {
                        return null;
                    }
                }
            }
        }
        return null;
    }

    private static String shortly(Object key) {
        String s = String.valueOf(key);
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
