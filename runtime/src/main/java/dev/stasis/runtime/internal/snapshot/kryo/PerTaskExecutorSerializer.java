package dev.stasis.runtime.internal.snapshot.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/**
 * A thread-per-task executor ({@code Executors.newVirtualThreadPerTaskExecutor()}, {@code
 * newThreadPerTaskExecutor(factory)}, JDK 21+) is written as its thread factory, whether it was shut down, and the
 * threads running its tasks, which the cut captured (a running one it did not capture is refused by the thread
 * serializer). Read back as a new executor of that factory (the JDK's own, so it registers its thread container),
 * holding the recreated threads as its running tasks, shut down again if it was: {@code close()} and {@code
 * awaitTermination} then wait for exactly those tasks. The threads themselves start with the other captured
 * threads; each runs its task (the {@code Future} the program holds) again.
 */
final class PerTaskExecutorSerializer extends Serializer<ExecutorService> {
    static final String EXECUTOR = "java.util.concurrent.ThreadPerTaskExecutor";

    @Override
    public void write(Kryo kryo, Output output, ExecutorService executor) {
        kryo.writeClassAndObject(output, JdkFields.read(JdkFields.field(executor.getClass(), "factory"), executor));
        output.writeBoolean(executor.isShutdown());
        kryo.writeClassAndObject(output, new ArrayList<>(threads(executor)));
    }

    @Override
    public ExecutorService read(Kryo kryo, Input input, Class<? extends ExecutorService> type) {
        Object factory = kryo.readClassAndObject(input);
        if (!(factory instanceof ThreadFactory)) {
            throw new KryoException("a thread-per-task executor's factory is " + factory);
        }
        boolean shutdown = input.readBoolean();
        ExecutorService executor = newThreadPerTaskExecutor((ThreadFactory) factory);
        kryo.reference(executor); // before its threads: their tasks refer back to it
        Object running = kryo.readClassAndObject(input);
        if (!(running instanceof List<?> list)) {
            throw new KryoException("a thread-per-task executor's threads are " + running);
        }
        Set<Thread> threads = threads(executor);
        for (Object thread : list) {
            threads.add((Thread) thread);
        }
        if (shutdown) {
            executor.shutdown(); // stays shut down, not terminated, while it has threads
        }
        return executor;
    }

    @SuppressWarnings("unchecked")
    private static Set<Thread> threads(ExecutorService executor) {
        Field threads = JdkFields.field(executor.getClass(), "threads");
        return (Set<Thread>) JdkFields.read(threads, executor);
    }

    /** {@code Executors.newThreadPerTaskExecutor}, a JDK 21 method: Stasis is compiled for Java 17. */
    private static ExecutorService newThreadPerTaskExecutor(ThreadFactory factory) {
        try {
            Method create = Executors.class.getMethod("newThreadPerTaskExecutor", ThreadFactory.class);
            return (ExecutorService) create.invoke(null, factory);
        } catch (ReflectiveOperationException e) {
            throw new KryoException("cannot create a thread-per-task executor on this JDK ("
                    + System.getProperty("java.version") + "): " + e, e);
        }
    }
}
