package dev.stasis.runtime.internal.snapshot.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.SerializerFactory;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.FieldSerializer;
import dev.stasis.runtime.internal.snapshot.executors.PoolTask;
import dev.stasis.runtime.internal.snapshot.executors.RestoredPool;
import dev.stasis.runtime.internal.snapshot.executors.ScheduledQueuesAtCut;
import dev.stasis.runtime.internal.snapshot.executors.ScheduledTimes;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Executors in the graph. A {@code ThreadPoolExecutor} is written as what configures it (sizes, keep-alive,
 * queue with its queued tasks, thread factory, rejection handler, shut down or not), never as its workers: a
 * resume builds a new pool without workers and starts them once the graph is in place (see {@link RestoredPool});
 * the tasks its workers ran are written with the captured workers ({@link PoolTask}). A {@code FutureTask} is
 * written without the thread running it and the threads waiting for it, which belong to this JVM (they come back
 * captured or recreated, and wait again). {@code Executors}' wrappers ({@code newSingleThreadExecutor}) are
 * written as the pool they wrap. A {@code ForkJoinPool}, saved only while quiescent, is written as its
 * configuration, the common pool as a mark. A thread-per-task executor (JDK 21+) is {@link PerTaskExecutorSerializer}'s.
 */
final class ExecutorSerializers {
    private static final String DEFAULT_THREAD_FACTORY = "java.util.concurrent.Executors$DefaultThreadFactory";
    private static final String DELEGATED_EXECUTOR = "java.util.concurrent.Executors$DelegatedExecutorService";
    private static final String SCHEDULED_TASK = "java.util.concurrent.ScheduledThreadPoolExecutor$ScheduledFutureTask";

    private ExecutorSerializers() {
    }

    static void register(Kryo kryo) {
        kryo.register(PoolTask.class, new PoolTaskSerializer(), 31);
        // The more specific types first: Kryo takes the first default serializer whose type matches.
        kryo.addDefaultSerializer(ScheduledThreadPoolExecutor.class, new ScheduledPoolSerializer());
        kryo.addDefaultSerializer(ThreadPoolExecutor.class, new ThreadPoolSerializer());
        kryo.addDefaultSerializer(JdkFields.jdkClass(SCHEDULED_TASK), new ScheduledTaskSerializers());
        kryo.addDefaultSerializer(FutureTask.class, new FutureTaskSerializers());
        kryo.addDefaultSerializer(ForkJoinPool.class, new ForkJoinPoolSerializer());
        kryo.addDefaultSerializer(JdkFields.jdkClass(DELEGATED_EXECUTOR), new DelegatedExecutorSerializer());
        Class<?> perTask = JdkFields.optionalJdkClass(PerTaskExecutorSerializer.EXECUTOR);
        if (perTask != null) {
            kryo.addDefaultSerializer(perTask, new PerTaskExecutorSerializer());
        }
    }

    /** The pools read so far in this graph, in the order they were read. */
    static List<RestoredPool> restoredPools(Kryo kryo) {
        return List.copyOf(pools(kryo));
    }

    @SuppressWarnings("unchecked")
    private static List<RestoredPool> pools(Kryo kryo) {
        Object found = kryo.getGraphContext().get(RestoredPool.class);
        if (found == null) {
            found = new ArrayList<RestoredPool>();
            kryo.getGraphContext().put(RestoredPool.class, found);
        }
        return (List<RestoredPool>) found;
    }

    static final class PoolTaskSerializer extends Serializer<PoolTask> {
        @Override
        public void write(Kryo kryo, Output output, PoolTask task) {
            kryo.writeClassAndObject(output, task.pool());
            kryo.writeClassAndObject(output, task.task());
        }

        @Override
        public PoolTask read(Kryo kryo, Input input, Class<? extends PoolTask> type) {
            Object pool = kryo.readClassAndObject(input);
            Object task = kryo.readClassAndObject(input);
            if (!(pool instanceof ThreadPoolExecutor) || !(task instanceof Runnable)) {
                throw new KryoException("a pool worker's task is " + task + " of pool " + pool);
            }
            return new PoolTask((ThreadPoolExecutor) pool, (Runnable) task);
        }
    }

    static final class ThreadPoolSerializer extends Serializer<ThreadPoolExecutor> {
        private static final byte DEFAULT_FACTORY = 0;
        private static final byte OTHER_FACTORY = 1;

        @Override
        public void write(Kryo kryo, Output output, ThreadPoolExecutor pool) {
            if (pool.getClass() != ThreadPoolExecutor.class) {
                throw CapturePathException.refuse(pool, "a " + pool.getClass().getName() + " (a subclass of "
                        + "ThreadPoolExecutor) cannot be saved by this version: its hooks could not be carried over; "
                        + "use a plain ThreadPoolExecutor");
            }
            output.writeVarInt(pool.getCorePoolSize(), true);
            output.writeVarInt(pool.getMaximumPoolSize(), true);
            output.writeVarLong(pool.getKeepAliveTime(TimeUnit.NANOSECONDS), true);
            output.writeBoolean(pool.allowsCoreThreadTimeOut());
            output.writeBoolean(pool.isShutdown());
            kryo.writeClassAndObject(output, pool.getQueue());
            writeFactory(kryo, output, pool.getThreadFactory());
            kryo.writeClassAndObject(output, pool.getRejectedExecutionHandler());
        }

        @Override
        public ThreadPoolExecutor read(Kryo kryo, Input input, Class<? extends ThreadPoolExecutor> type) {
            int core = input.readVarInt(true);
            int maximum = input.readVarInt(true);
            long keepAlive = input.readVarLong(true);
            boolean allowCoreTimeOut = input.readBoolean();
            boolean shutdown = input.readBoolean();
            // Built before its queue is read, so that a queued task that refers to its pool gets this one.
            ThreadPoolExecutor pool = new ThreadPoolExecutor(core, maximum, keepAlive, TimeUnit.NANOSECONDS,
                    new LinkedBlockingQueue<>());
            kryo.reference(pool);
            Object queue = kryo.readClassAndObject(input);
            if (!(queue instanceof BlockingQueue<?>)) {
                throw new KryoException("a ThreadPoolExecutor's queue is " + queue);
            }
            JdkFields.write(JdkFields.field(ThreadPoolExecutor.class, "workQueue"), pool, queue);
            pool.setThreadFactory(readFactory(kryo, input));
            Object handler = kryo.readClassAndObject(input);
            if (handler != null) {
                pool.setRejectedExecutionHandler((RejectedExecutionHandler) handler);
            }
            if (allowCoreTimeOut) {
                pool.allowCoreThreadTimeOut(true);
            }
            pools(kryo).add(new RestoredPool(pool, shutdown));
            return pool;
        }

        /**
         * {@code Executors}' own factory holds the JVM's thread group: written as the names it gives (prefix, next
         * number), so recreated workers are named as they would have been.
         */
        static void writeFactory(Kryo kryo, Output output, ThreadFactory factory) {
            if (factory.getClass().getName().equals(DEFAULT_THREAD_FACTORY)) {
                output.writeByte(DEFAULT_FACTORY);
                output.writeString((String) JdkFields.read(JdkFields.field(factory.getClass(), "namePrefix"), factory));
                output.writeVarInt(((AtomicInteger) JdkFields.read(JdkFields.field(factory.getClass(), "threadNumber"), factory)).get(), true);
            } else {
                output.writeByte(OTHER_FACTORY);
                kryo.writeClassAndObject(output, factory);
            }
        }

        static ThreadFactory readFactory(Kryo kryo, Input input) {
            byte kind = input.readByte();
            if (kind == OTHER_FACTORY) {
                return (ThreadFactory) kryo.readClassAndObject(input);
            }
            if (kind != DEFAULT_FACTORY) {
                throw new KryoException("unknown thread factory kind " + kind);
            }
            ThreadFactory factory = Executors.defaultThreadFactory();
            JdkFields.write(JdkFields.field(factory.getClass(), "namePrefix"), factory, input.readString());
            ((AtomicInteger) JdkFields.read(JdkFields.field(factory.getClass(), "threadNumber"), factory)).set(input.readVarInt(true));
            return factory;
        }
    }

    /**
     * A {@code ScheduledThreadPoolExecutor}: its core size, keep-alive, shut down or not, its three shutdown
     * policies, factory and handler, then the tasks its queue held at the cut ({@link ScheduledQueuesAtCut}),
     * each written as itself (a {@code ScheduledFutureTask}, with the delay it had left). Read back as a new pool
     * whose queue holds those task objects, the ones the program's {@code ScheduledFuture}s are, due after the
     * same delay; a resume starts its workers.
     */
    static final class ScheduledPoolSerializer extends Serializer<ScheduledThreadPoolExecutor> {
        @Override
        public void write(Kryo kryo, Output output, ScheduledThreadPoolExecutor pool) {
            if (pool.getClass() != ScheduledThreadPoolExecutor.class) {
                throw CapturePathException.refuse(pool, "a " + pool.getClass().getName() + " (a subclass of "
                        + "ScheduledThreadPoolExecutor) cannot be saved by this version: its hooks could not be carried "
                        + "over; use a plain ScheduledThreadPoolExecutor");
            }
            output.writeVarInt(pool.getCorePoolSize(), true);
            output.writeVarLong(pool.getKeepAliveTime(TimeUnit.NANOSECONDS), true);
            output.writeBoolean(pool.allowsCoreThreadTimeOut());
            output.writeBoolean(pool.isShutdown());
            output.writeBoolean(pool.getContinueExistingPeriodicTasksAfterShutdownPolicy());
            output.writeBoolean(pool.getExecuteExistingDelayedTasksAfterShutdownPolicy());
            output.writeBoolean(pool.getRemoveOnCancelPolicy());
            ThreadPoolSerializer.writeFactory(kryo, output, pool.getThreadFactory());
            kryo.writeClassAndObject(output, pool.getRejectedExecutionHandler());
            List<Runnable> queued = ScheduledQueuesAtCut.of(pool);
            output.writeVarInt(queued.size(), true);
            for (Runnable task : queued) {
                kryo.writeClassAndObject(output, task);
            }
        }

        @Override
        public ScheduledThreadPoolExecutor read(Kryo kryo, Input input, Class<? extends ScheduledThreadPoolExecutor> type) {
            ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(input.readVarInt(true));
            kryo.reference(pool); // before its tasks, which refer to it
            long keepAlive = input.readVarLong(true);
            if (keepAlive > 0) {
                pool.setKeepAliveTime(keepAlive, TimeUnit.NANOSECONDS);
            }
            boolean allowCoreTimeOut = input.readBoolean();
            boolean shutdown = input.readBoolean();
            pool.setContinueExistingPeriodicTasksAfterShutdownPolicy(input.readBoolean());
            pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(input.readBoolean());
            pool.setRemoveOnCancelPolicy(input.readBoolean());
            pool.setThreadFactory(ThreadPoolSerializer.readFactory(kryo, input));
            Object handler = kryo.readClassAndObject(input);
            if (handler != null) {
                pool.setRejectedExecutionHandler((RejectedExecutionHandler) handler);
            }
            if (allowCoreTimeOut) {
                pool.allowCoreThreadTimeOut(true);
            }
            int count = input.readVarInt(true);
            for (int i = 0; i < count; i++) {
                Object task = kryo.readClassAndObject(input);
                if (!(task instanceof RunnableScheduledFuture<?> scheduled)) {
                    throw new KryoException("a ScheduledThreadPoolExecutor's queue holds " + task);
                }
                pool.getQueue().add(scheduled); // not through schedule(): no worker starts before the resume
            }
            pools(kryo).add(new RestoredPool(pool, shutdown));
            return pool;
        }
    }

    /**
     * A scheduled task: as a {@code FutureTask} (see {@link FutureTaskSerializers}), then its due time on the
     * program's clock ({@link ScheduledTimes}); read back with that due time, which the resume turns into the
     * reading JVM's once the program's clock goes on.
     */
    static final class ScheduledTaskSerializers extends SerializerFactory.BaseSerializerFactory<Serializer<?>> {
        @Override
        public Serializer<?> newSerializer(Kryo kryo, Class type) {
            Field time = JdkFields.field(JdkFields.jdkClass(SCHEDULED_TASK), "time");
            FieldSerializer<Object> serializer = new FieldSerializer<>(kryo, type, SnapshotKryo.fieldConfig(kryo, type)) {
                @Override
                public void write(Kryo kryo, Output output, Object task) {
                    super.write(kryo, output, task);
                    output.writeLong(ScheduledTimes.onProgramClock((Long) JdkFields.read(time, task)));
                }

                @Override
                public Object read(Kryo kryo, Input input, Class<?> readType) {
                    Object task = super.read(kryo, input, readType);
                    JdkFields.write(time, task, input.readLong());
                    return task;
                }
            };
            serializer.removeField("runner");
            serializer.removeField("waiters");
            return serializer;
        }
    }

    /**
     * A {@code ForkJoinPool} has no task to save at a cut (a checkpoint waits until it is quiescent): the common
     * pool is written as a mark and read as the reading JVM's; another as its parallelism, mode, factory (null for
     * the default one) and handler, read as a new pool.
     */
    static final class ForkJoinPoolSerializer extends Serializer<ForkJoinPool> {
        @Override
        public void write(Kryo kryo, Output output, ForkJoinPool pool) {
            if (pool.getClass() != ForkJoinPool.class) {
                throw CapturePathException.refuse(pool, "a " + pool.getClass().getName() + " (a subclass of ForkJoinPool) "
                        + "cannot be saved by this version");
            }
            if (pool.hasQueuedSubmissions() || pool.getQueuedTaskCount() > 0 || pool.getActiveThreadCount() > 0) {
                throw CapturePathException.refuse(pool, "the ForkJoinPool has work queued or running; a checkpoint "
                        + "saves a fork/join pool only while it is quiescent");
            }
            boolean common = pool == ForkJoinPool.commonPool();
            output.writeBoolean(common);
            if (common) {
                return;
            }
            output.writeVarInt(pool.getParallelism(), true);
            output.writeBoolean(pool.getAsyncMode());
            ForkJoinPool.ForkJoinWorkerThreadFactory factory = pool.getFactory();
            kryo.writeClassAndObject(output, factory == ForkJoinPool.defaultForkJoinWorkerThreadFactory ? null : factory);
            kryo.writeClassAndObject(output, pool.getUncaughtExceptionHandler());
        }

        @Override
        public ForkJoinPool read(Kryo kryo, Input input, Class<? extends ForkJoinPool> type) {
            if (input.readBoolean()) {
                ForkJoinPool common = ForkJoinPool.commonPool();
                kryo.reference(common);
                return common;
            }
            int parallelism = input.readVarInt(true);
            boolean asyncMode = input.readBoolean();
            Object factory = kryo.readClassAndObject(input);
            Object handler = kryo.readClassAndObject(input);
            ForkJoinPool pool = new ForkJoinPool(parallelism, factory == null
                    ? ForkJoinPool.defaultForkJoinWorkerThreadFactory : (ForkJoinPool.ForkJoinWorkerThreadFactory) factory,
                    (Thread.UncaughtExceptionHandler) handler, asyncMode);
            kryo.reference(pool);
            return pool;
        }
    }

    /** {@code FutureTask} and its subclasses: every field but the running thread and the waiting ones. */
    static final class FutureTaskSerializers extends SerializerFactory.BaseSerializerFactory<Serializer<?>> {
        @Override
        public Serializer<?> newSerializer(Kryo kryo, Class type) {
            FieldSerializer<?> serializer = new FieldSerializer<>(kryo, type, SnapshotKryo.fieldConfig(kryo, type));
            serializer.removeField("runner");
            serializer.removeField("waiters");
            return serializer;
        }
    }

    /** {@code Executors.newSingleThreadExecutor()}'s wrapper (its cleaner or finalizer is made again). */
    static final class DelegatedExecutorSerializer extends Serializer<ExecutorService> {
        @Override
        public void write(Kryo kryo, Output output, ExecutorService wrapper) {
            kryo.writeClassAndObject(output, JdkFields.read(JdkFields.field(JdkFields.jdkClass(DELEGATED_EXECUTOR), "e"), wrapper));
        }

        @Override
        public ExecutorService read(Kryo kryo, Input input, Class<? extends ExecutorService> type) {
            Object wrapped = kryo.readClassAndObject(input);
            try {
                Constructor<? extends ExecutorService> constructor = type.getDeclaredConstructor(ExecutorService.class);
                constructor.setAccessible(true);
                ExecutorService wrapper = constructor.newInstance((ExecutorService) wrapped);
                kryo.reference(wrapper);
                return wrapper;
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new KryoException("cannot wrap the restored pool in a " + type.getName() + " again: " + e, e);
            }
        }
    }
}
