package dev.stasis.runtime.internal.snapshot.threads;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and fills a thread's {@code ThreadLocal.ThreadLocalMap}s from outside the thread: a snapshot reads
 * a parked thread's values, a resume puts them into a thread before it starts (or into the resuming main
 * thread itself). Both maps are used the way {@code ThreadLocal} itself uses them: an
 * {@code InheritableThreadLocal}'s values live in {@code inheritableThreadLocals}, every other in
 * {@code threadLocals}.
 */
public final class ThreadLocalMaps {
    private static final Class<?> MAP = nested("ThreadLocalMap");
    private static final Field TABLE = declared(MAP, "table");
    private static final Field ENTRY_VALUE = declared(nested("ThreadLocalMap$Entry"), "value");
    private static final Method SET = method(MAP, "set", ThreadLocal.class, Object.class);
    private static final Constructor<?> NEW_MAP = constructor(MAP, ThreadLocal.class, Object.class);

    private ThreadLocalMaps() {
    }

    /** A live entry of one of a thread's maps. */
    public record Entry(ThreadLocal<?> key, Object value) {
    }

    /** The entries of both maps whose key is still alive. */
    public static List<Entry> entries(Thread thread) {
        List<Entry> entries = new ArrayList<>();
        addEntries(JdkThreadFields.threadLocals(thread, false), entries);
        addEntries(JdkThreadFields.threadLocals(thread, true), entries);
        return entries;
    }

    private static void addEntries(Object map, List<Entry> into) {
        if (map == null || !MAP.isInstance(map)) {
            return; // none yet, or a thread that does not support thread locals
        }
        try {
            Object[] table = (Object[]) TABLE.get(map);
            for (Object slot : table) {
                if (slot instanceof java.lang.ref.Reference<?> reference && reference.get() instanceof ThreadLocal<?> key) {
                    into.add(new Entry(key, ENTRY_VALUE.get(slot)));
                }
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read a thread's ThreadLocal map", e);
        }
    }

    /** Puts {@code value} for {@code key} into {@code thread}'s map; the thread must not be running, or be the caller. */
    public static void put(Thread thread, ThreadLocal<?> key, Object value) {
        boolean inheritable = key instanceof InheritableThreadLocal;
        Object map = JdkThreadFields.threadLocals(thread, inheritable);
        try {
            if (map == null || !MAP.isInstance(map)) {
                JdkThreadFields.setThreadLocals(thread, inheritable, NEW_MAP.newInstance(key, value));
            } else {
                SET.invoke(map, key, value);
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot set a ThreadLocal of thread " + thread.getName(), e);
        }
    }

    private static Class<?> nested(String name) {
        try {
            return Class.forName("java.lang.ThreadLocal$" + name);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("java.lang.ThreadLocal$" + name + " is missing in this JDK", e);
        }
    }

    private static Field declared(Class<?> owner, String name) {
        try {
            Field field = owner.getDeclaredField(name);
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(owner.getName() + "." + name + " is missing in this JDK", e);
        }
    }

    private static Method method(Class<?> owner, String name, Class<?>... parameters) {
        try {
            Method method = owner.getDeclaredMethod(name, parameters);
            method.setAccessible(true);
            return method;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(owner.getName() + "." + name + " is missing in this JDK", e);
        }
    }

    private static Constructor<?> constructor(Class<?> owner, Class<?>... parameters) {
        try {
            Constructor<?> constructor = owner.getDeclaredConstructor(parameters);
            constructor.setAccessible(true);
            return constructor;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(owner.getName() + " has no such constructor in this JDK", e);
        }
    }
}
