package dev.stasis.runtime.internal.capture;

import dev.stasis.runtime.internal.snapshot.threads.VirtualThreadFields;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The live virtual threads (JDK 21 and later). They belong to no thread group under {@code main} and are not
 * listed by thread groups at all, so a cut would neither wait for them nor stop them. They are found through the
 * JDK's thread containers ({@code jdk.internal.vm.ThreadContainers}, which list every virtual thread started
 * directly or by an executor; java.base is opened to Stasis by the agent). On JDK 17 there are none and this
 * finds none.
 */
final class VirtualThreads {
    private static final Method ROOT = containerMethod("jdk.internal.vm.ThreadContainers", "root");
    private static final Method THREADS = containerMethod("jdk.internal.vm.ThreadContainer", "threads");
    private static final Method CHILDREN = containerMethod("jdk.internal.vm.ThreadContainer", "children");

    private VirtualThreads() {
    }

    static boolean isVirtual(Thread thread) {
        return VirtualThreadFields.isVirtual(thread);
    }

    /**
     * The live virtual threads; empty on JDK 17.
     *
     * @throws IllegalStateException on a JDK with virtual threads whose thread containers cannot be read: a
     *                               checkpoint must then refuse rather than risk missing one
     */
    static List<Thread> live() {
        if (!VirtualThreadFields.supported()) {
            return List.of();
        }
        if (ROOT == null || THREADS == null || CHILDREN == null) {
            throw new IllegalStateException("this JDK has virtual threads but Stasis cannot list them "
                    + "(jdk.internal.vm.ThreadContainers is not accessible)");
        }
        List<Thread> live = new ArrayList<>();
        try {
            collect(ROOT.invoke(null), live);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot list the virtual threads: " + e, e);
        }
        return live;
    }

    private static void collect(Object container, List<Thread> live) throws ReflectiveOperationException {
        try (Stream<?> threads = (Stream<?>) THREADS.invoke(container)) {
            threads.forEach(object -> {
                Thread thread = (Thread) object;
                if (thread.isAlive() && isVirtual(thread)) {
                    live.add(thread);
                }
            });
        }
        List<Object> children;
        try (Stream<?> stream = (Stream<?>) CHILDREN.invoke(container)) {
            children = new ArrayList<>(stream.map(Object.class::cast).toList());
        }
        for (Object child : children) {
            collect(child, live);
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
