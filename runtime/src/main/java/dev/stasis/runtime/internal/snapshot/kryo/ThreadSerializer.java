package dev.stasis.runtime.internal.snapshot.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.stasis.runtime.internal.snapshot.threads.JdkThreadFields;
import dev.stasis.runtime.internal.snapshot.threads.ThreadRecreation;
import dev.stasis.runtime.internal.snapshot.threads.VirtualThreadFields;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A {@code Thread} is written as what identifies it to the program, never as its fields: its class (a
 * subclass's own fields are written as usual), name, daemon flag, priority, group name, own
 * uncaught-exception handler, the {@code Runnable} it runs, and whether it was not started yet, captured
 * running, or ended. Every reference to it in the graph then reads back as one recreated thread; a resume
 * starts the captured ones. The JVM's main thread is written as a mark and read as the main thread of the
 * JVM that reads. A captured pool worker reads back ended: its task resumes on a new worker of the recreated
 * pool. A virtual thread is written the same way, its class telling it apart (a resume makes a virtual thread
 * again, of the same name). A running thread that this snapshot does not capture (the JDK's, Stasis's, an idle pool worker) is
 * refused.
 */
final class ThreadSerializer extends Serializer<Thread> {
    private static final byte MAIN = 0;
    private static final byte NOT_STARTED = 1;
    private static final byte CAPTURED = 2;
    private static final byte ENDED = 3;

    private final Supplier<Thread> mainThread;

    ThreadSerializer(Supplier<Thread> mainThread) {
        this.mainThread = mainThread;
    }

    @Override
    public void write(Kryo kryo, Output output, Thread thread) {
        ThreadGraph graph = ThreadGraph.of(kryo);
        if (graph.isMain(thread)) {
            output.writeByte(MAIN);
            graph.written(thread);
            return;
        }
        byte kind = kindOf(graph, thread);
        output.writeByte(kind);
        output.writeString(thread.getName());
        ThreadGroup group = thread.getThreadGroup();
        output.writeString(group == null ? null : group.getName());
        output.writeBoolean(thread.isDaemon());
        output.writeVarInt(thread.getPriority(), true);
        graph.written(thread);
        kryo.writeClassAndObject(output, JdkThreadFields.ownHandler(thread));
        kryo.writeClassAndObject(output, graph.isPoolWorker(thread) ? null : JdkThreadFields.task(thread));
        for (Field field : ownFields(thread.getClass())) {
            kryo.writeClassAndObject(output, JdkFields.read(field, thread));
        }
    }

    private static byte kindOf(ThreadGraph graph, Thread thread) {
        if (graph.isCaptured(thread)) {
            return CAPTURED;
        }
        if (graph.isPoolWorker(thread)) {
            return ENDED; // its task goes on on a worker of the recreated pool, as another thread
        }
        Thread.State state = thread.getState();
        if (state == Thread.State.NEW) {
            return NOT_STARTED;
        }
        if (state == Thread.State.TERMINATED) {
            return ENDED;
        }
        throw CapturePathException.refuse(thread, "thread " + thread.getName() + " is running but is not one of the "
                + "application threads this checkpoint captured (a JDK or Stasis thread, or one the program cannot "
                + "recreate); a snapshot can hold only threads it captured, threads not started yet, and ended ones");
    }

    @Override
    public Thread read(Kryo kryo, Input input, Class<? extends Thread> type) {
        byte kind = input.readByte();
        if (kind == MAIN) {
            Thread main = mainThread.get();
            kryo.reference(main);
            return main;
        }
        if (kind != NOT_STARTED && kind != CAPTURED && kind != ENDED) {
            throw new KryoException("unknown thread kind " + kind);
        }
        boolean virtual = VirtualThreadFields.isVirtualClass(type);
        ThreadRecreation.Description description = new ThreadRecreation.Description(input.readString(),
                input.readString(), input.readBoolean(), input.readVarInt(true), virtual, kind == ENDED);
        Thread thread;
        try {
            Thread allocated = type == Thread.class || virtual ? null : kryo.newInstance(type);
            thread = recreation(kryo).recreate(description, allocated);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KryoException("interrupted while recreating thread " + description.name(), e);
        }
        kryo.reference(thread);
        Object handler = kryo.readClassAndObject(input);
        if (handler != null) {
            thread.setUncaughtExceptionHandler((Thread.UncaughtExceptionHandler) handler);
        }
        Object task = kryo.readClassAndObject(input);
        if (task != null) {
            ThreadRecreation.setTask(thread, (Runnable) task);
        }
        for (Field field : ownFields(type)) {
            set(field, thread, kryo.readClassAndObject(input));
        }
        return thread;
    }

    /** One recreation per graph, so threads that shared a group share it again. */
    private static ThreadRecreation recreation(Kryo kryo) {
        Object found = kryo.getGraphContext().get(ThreadRecreation.class);
        if (found == null) {
            found = new ThreadRecreation();
            kryo.getGraphContext().put(ThreadRecreation.class, found);
        }
        return (ThreadRecreation) found;
    }

    /** The instance fields a subclass adds to {@code Thread}, most derived class first; transient ones are skipped as Kryo's field serializer does. */
    private static List<Field> ownFields(Class<?> type) {
        List<Field> fields = new ArrayList<>();
        if (VirtualThreadFields.isVirtualClass(type)) {
            return fields; // the JDK's own state of a virtual thread, which the recreated one has anew
        }
        for (Class<?> c = type; c != Thread.class && c != null; c = c.getSuperclass()) {
            Field[] declared = c.getDeclaredFields();
            // By name, as Kryo's field serializer orders them: the reading JVM may list them in another order.
            java.util.Arrays.sort(declared, java.util.Comparator.comparing(Field::getName));
            for (Field field : declared) {
                int modifiers = field.getModifiers();
                if (!Modifier.isStatic(modifiers) && !Modifier.isTransient(modifiers)) {
                    field.setAccessible(true);
                    fields.add(field);
                }
            }
        }
        return fields;
    }

    private static void set(Field field, Object owner, Object value) {
        try {
            field.set(owner, value);
        } catch (IllegalAccessException | IllegalArgumentException e) {
            throw new KryoException("cannot set " + field + " of a recreated thread", e);
        }
    }
}
