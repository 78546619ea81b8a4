package dev.stasis.samples.virtualthreads;

import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/**
 * {@code Thread.ofVirtual().name(prefix, 0).factory()} and {@code Executors.newVirtualThreadPerTaskExecutor()}. The samples are compiled for Java 17, the agent's
 * baseline, so the JDK 21 API is reached by reflection here, once; the rest of the sample uses the factory as any
 * program would.
 */
public final class VirtualThreadFactory {
    private VirtualThreadFactory() {
    }

    public static ThreadFactory named(String prefix) {
        requireVirtualThreads();
        try {
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
            builder = ofVirtual.getMethod("name", String.class, long.class).invoke(builder, prefix, 0L);
            Method factory = Class.forName("java.lang.Thread$Builder").getMethod("factory");
            return (ThreadFactory) factory.invoke(builder);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build a virtual thread factory: " + e, e);
        }
    }

    /** {@code Executors.newVirtualThreadPerTaskExecutor()}. */
    static ExecutorService perTaskExecutor() {
        requireVirtualThreads();
        try {
            return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build a virtual thread per task executor: " + e, e);
        }
    }

    private static void requireVirtualThreads() {
        if (Runtime.version().feature() < 21) {
            System.err.println("this sample needs virtual threads: run it on JDK 21 or later (this is "
                    + Runtime.version() + ")");
            System.exit(2);
        }
    }
}
