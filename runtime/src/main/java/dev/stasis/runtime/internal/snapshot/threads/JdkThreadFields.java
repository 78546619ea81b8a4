package dev.stasis.runtime.internal.snapshot.threads;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * The private state of {@link Thread} that a snapshot reads and a resume writes: the task a plain thread
 * runs, its uncaught-exception handler, and its {@code ThreadLocal} maps. The layout differs between JDK
 * 17 (fields on {@code Thread}) and JDK 21+ (the task moved into {@code Thread.FieldHolder}); both are
 * handled here and nowhere else. java.base is opened to Stasis by the agent at startup.
 */
public final class JdkThreadFields {
    private static final Field TARGET = optionalField(Thread.class, "target");
    private static final Field HOLDER = optionalField(Thread.class, "holder");
    private static final Field HOLDER_TASK = HOLDER == null ? null : optionalField(HOLDER.getType(), "task");
    private static final Field HANDLER = field(Thread.class, "uncaughtExceptionHandler");
    private static final Field THREAD_LOCALS = field(Thread.class, "threadLocals");
    private static final Field INHERITABLE_THREAD_LOCALS = field(Thread.class, "inheritableThreadLocals");
    private static final List<Field> INSTANCE_FIELDS = instanceFields();

    private JdkThreadFields() {
    }

    /** The {@code Runnable} a thread was constructed with, or null. */
    public static Runnable task(Thread thread) {
        if (VirtualThreadFields.isVirtual(thread)) {
            return VirtualThreadFields.task(thread);
        }
        try {
            if (TARGET != null) {
                return (Runnable) TARGET.get(thread);
            }
            return (Runnable) HOLDER_TASK.get(HOLDER.get(thread));
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read the task of thread " + thread.getName(), e);
        }
    }

    static void setTask(Thread thread, Runnable task) {
        if (VirtualThreadFields.isVirtual(thread)) {
            VirtualThreadFields.setTask(thread, task);
            return;
        }
        try {
            if (TARGET != null) {
                TARGET.set(thread, task);
            } else {
                HOLDER_TASK.set(HOLDER.get(thread), task);
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot set the task of thread " + thread.getName(), e);
        }
    }

    /** The handler set on the thread itself (not its group's, which {@code getUncaughtExceptionHandler} falls back to). */
    public static Thread.UncaughtExceptionHandler ownHandler(Thread thread) {
        try {
            return (Thread.UncaughtExceptionHandler) HANDLER.get(thread);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read the handler of thread " + thread.getName(), e);
        }
    }

    static Object threadLocals(Thread thread, boolean inheritable) {
        try {
            return (inheritable ? INHERITABLE_THREAD_LOCALS : THREAD_LOCALS).get(thread);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read the thread locals of thread " + thread.getName(), e);
        }
    }

    static void setThreadLocals(Thread thread, boolean inheritable, Object map) {
        try {
            (inheritable ? INHERITABLE_THREAD_LOCALS : THREAD_LOCALS).set(thread, map);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot set the thread locals of thread " + thread.getName(), e);
        }
    }

    /**
     * Makes {@code target}, allocated without a constructor, the same thread as {@code template} (a fresh,
     * never used {@code Thread}) in all of {@code Thread}'s own state: what a constructor of a subclass would
     * have set up. The template must be discarded afterwards.
     */
    static void copyThreadState(Thread template, Thread target) {
        try {
            for (Field field : INSTANCE_FIELDS) {
                field.set(target, field.get(template));
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot initialise a recreated " + target.getClass().getName(), e);
        }
    }

    private static List<Field> instanceFields() {
        List<Field> fields = new ArrayList<>();
        for (Field field : Thread.class.getDeclaredFields()) {
            if (!Modifier.isStatic(field.getModifiers())) {
                field.setAccessible(true);
                fields.add(field);
            }
        }
        return List.copyOf(fields);
    }

    private static Field field(Class<?> owner, String name) {
        Field field = optionalField(owner, name);
        if (field == null) {
            throw new IllegalStateException(owner.getName() + "." + name + " is missing in this JDK ("
                    + System.getProperty("java.version") + "); Stasis cannot save threads on it");
        }
        return field;
    }

    private static Field optionalField(Class<?> owner, String name) {
        try {
            Field field = owner.getDeclaredField(name);
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException e) {
            return null;
        }
    }
}
