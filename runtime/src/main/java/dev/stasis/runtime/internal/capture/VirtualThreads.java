package dev.stasis.runtime.internal.capture;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The live virtual threads (JDK 21 and later), which this version does not capture. They belong to no
 * thread group under {@code main} and are not listed by thread groups at all, so a checkpoint would
 * neither wait for them nor stop them: a snapshot taken while one runs could hold half of what it did.
 * They are found through the JDK's thread containers ({@code jdk.internal.vm.ThreadContainers}, which
 * list every virtual thread started directly or by an executor; java.base is opened to Stasis by the
 * agent). On JDK 17 there are none and this finds none.
 */
final class VirtualThreads {
    private static final MethodHandle IS_VIRTUAL = isVirtualHandle();
    private static final Method ROOT = containerMethod("jdk.internal.vm.ThreadContainers", "root");
    private static final Method THREADS = containerMethod("jdk.internal.vm.ThreadContainer", "threads");
    private static final Method CHILDREN = containerMethod("jdk.internal.vm.ThreadContainer", "children");

    private VirtualThreads() {
    }

    static boolean isVirtual(Thread thread) {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invokeExact(thread);
        } catch (Throwable impossible) {
            return false;
        }
    }

    /**
     * The names (or {@code #id} when unnamed) of the live virtual threads; empty on JDK 17.
     *
     * @throws IllegalStateException on a JDK with virtual threads whose thread containers cannot be read: a
     *                               checkpoint must then refuse rather than risk missing one
     */
    static List<String> live() {
        if (IS_VIRTUAL == null) {
            return List.of();
        }
        if (ROOT == null || THREADS == null || CHILDREN == null) {
            throw new IllegalStateException("this JDK has virtual threads but Stasis cannot list them "
                    + "(jdk.internal.vm.ThreadContainers is not accessible)");
        }
        List<String> names = new ArrayList<>();
        try {
            collect(ROOT.invoke(null), names);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot list the virtual threads: " + e, e);
        }
        return names;
    }

    private static void collect(Object container, List<String> names) throws ReflectiveOperationException {
        try (Stream<?> threads = (Stream<?>) THREADS.invoke(container)) {
            threads.forEach(object -> {
                Thread thread = (Thread) object;
                if (thread.isAlive() && isVirtual(thread)) {
                    names.add(thread.getName().isEmpty() ? "#" + thread.getId() : thread.getName());
                }
            });
        }
        List<Object> children;
        try (Stream<?> stream = (Stream<?>) CHILDREN.invoke(container)) {
            children = new ArrayList<>(stream.map(Object.class::cast).toList());
        }
        for (Object child : children) {
            collect(child, names);
        }
    }

    private static MethodHandle isVirtualHandle() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
        } catch (ReflectiveOperationException e) {
            return null; // JDK 17: no virtual threads
        }
    }

    private static Method containerMethod(String className, String name) {
        try {
            Method method = Class.forName(className).getMethod(name);
            method.setAccessible(true);
            return method;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
