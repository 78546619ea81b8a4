package dev.stasis.runtime.internal.snapshot.threads;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * What a snapshot reads from and a resume builds for a virtual thread (JDK 21 and later). Stasis is compiled for
 * Java 17, so the JDK 21 API ({@code Thread.isVirtual}, {@code Thread.ofVirtual}) is reached through method
 * handles, absent on JDK 17 where nothing here is ever asked for a virtual thread.
 *
 * <p>A virtual thread keeps the {@code Runnable} it runs in neither {@code Thread}'s fields nor its own: the JDK
 * wraps it into the target of the thread's continuation ({@code VirtualThread.cont}, a {@code Continuation} whose
 * {@code target} captured the task). That is read and written here and nowhere else; if a JDK lays it out
 * differently, {@link #task} and {@link #setTask} say so instead of guessing.
 */
public final class VirtualThreadFields {
    private static final String VIRTUAL_THREAD = "java.lang.VirtualThread";
    private static final MethodHandle IS_VIRTUAL = isVirtualHandle();
    private static final Method OF_VIRTUAL = optionalMethod(Thread.class, "ofVirtual");

    private VirtualThreadFields() {
    }

    /** Whether this JDK has virtual threads at all. */
    public static boolean supported() {
        return IS_VIRTUAL != null;
    }

    public static boolean isVirtual(Thread thread) {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invokeExact(thread);
        } catch (Throwable impossible) {
            return false;
        }
    }

    /** Whether a snapshot's thread of this class was a virtual thread. */
    public static boolean isVirtualClass(Class<?> type) {
        return type.getName().equals(VIRTUAL_THREAD);
    }

    /** The {@code Runnable} the virtual thread was built with. */
    public static Runnable task(Thread thread) {
        Object target = continuationTarget(thread);
        try {
            return (Runnable) taskField(target, thread).get(target);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read the task of virtual thread " + thread, e);
        }
    }

    /** Makes the virtual thread, not started yet, run {@code task}. */
    public static void setTask(Thread thread, Runnable task) {
        Object target = continuationTarget(thread);
        try {
            taskField(target, thread).set(target, task);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot set the task of virtual thread " + thread, e);
        }
    }

    /** A new virtual thread of this name, not started, whose task is set afterwards. */
    static Thread unstarted(String name) {
        if (OF_VIRTUAL == null) {
            throw new IllegalStateException("the snapshot holds virtual thread " + name + ", but this JDK ("
                    + System.getProperty("java.version") + ") has none; resume on JDK 21 or later");
        }
        try {
            Object builder = OF_VIRTUAL.invoke(null);
            Method named = publicInterfaceMethod(builder, "name", String.class);
            builder = named.invoke(builder, name);
            Method unstarted = publicInterfaceMethod(builder, "unstarted", Runnable.class);
            return (Thread) unstarted.invoke(builder, (Runnable) () -> { });
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create virtual thread " + name + ": " + e, e);
        }
    }

    /** The builder's classes are the JDK's private ones: its methods are called through their public interface. */
    private static Method publicInterfaceMethod(Object builder, String name, Class<?> parameter)
            throws NoSuchMethodException {
        for (Class<?> type : builder.getClass().getInterfaces()) {
            try {
                return type.getMethod(name, parameter);
            } catch (NoSuchMethodException tryNext) {
                // the next interface
            }
        }
        throw new NoSuchMethodException(builder.getClass().getName() + "." + name);
    }

    private static Object continuationTarget(Thread thread) {
        try {
            return Layout.TARGET.get(Layout.CONT.get(thread));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            throw new IllegalStateException("cannot reach the task of virtual thread " + thread + " on this JDK ("
                    + System.getProperty("java.version") + "): " + e, e);
        }
    }

    /** The target's one {@code Runnable} field other than the thread itself: the task it wraps. */
    private static Field taskField(Object target, Thread thread) {
        Field found = TASK_FIELDS.get(target.getClass());
        if (found == null) {
            throw new IllegalStateException("cannot tell the task of virtual thread " + thread + " in "
                    + target.getClass().getName() + " on this JDK (" + System.getProperty("java.version") + ")");
        }
        return found;
    }

    /** Per continuation target class, its one {@code Runnable} field, made accessible; null if not exactly one. */
    private static final ClassValue<Field> TASK_FIELDS = new ClassValue<>() {
        @Override
        protected Field computeValue(Class<?> type) {
            Field found = null;
            int runnables = 0;
            for (Field field : type.getDeclaredFields()) {
                if (field.getType() == Runnable.class) {
                    found = field;
                    runnables++;
                }
            }
            if (runnables != 1) {
                return null;
            }
            found.setAccessible(true);
            return found;
        }
    };

    /**
     * The fields from a virtual thread to its continuation's target, looked up once, when first needed: a poll of a
     * per-task executor's thread reads the task on every capture attempt. Only JDK 21+ has these classes.
     */
    private static final class Layout {
        static final Field CONT = accessible("java.lang.VirtualThread", "cont");
        static final Field TARGET = accessible("jdk.internal.vm.Continuation", "target");

        private static Field accessible(String className, String name) {
            try {
                Field field = Class.forName(className, false, null).getDeclaredField(name);
                field.setAccessible(true);
                return field;
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(className + "." + name + " is missing", e);
            }
        }
    }

    private static MethodHandle isVirtualHandle() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
        } catch (ReflectiveOperationException e) {
            return null; // JDK 17: no virtual threads
        }
    }

    private static Method optionalMethod(Class<?> owner, String name) {
        try {
            return owner.getMethod(name);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
