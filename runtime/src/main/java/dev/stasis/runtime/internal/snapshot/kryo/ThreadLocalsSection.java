package dev.stasis.runtime.internal.snapshot.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.stasis.runtime.internal.snapshot.threads.ThreadLocalMaps;
import dev.stasis.runtime.internal.snapshot.threads.ThreadLocalValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The last part of the graph: for every thread written, the values it holds in {@code ThreadLocal}s that the
 * rest of the graph reaches. A thread's map also holds the JDK's own thread locals (buffer caches, encoders),
 * whose keys live in JDK statics that a relaunch creates afresh; a key no saved object refers to could never
 * be read again, so only keys already written are kept. Writing a value can reach more threads and keys, so
 * the threads are walked until a pass adds nothing.
 */
final class ThreadLocalsSection {
    private ThreadLocalsSection() {
    }

    static void write(Kryo kryo, Output output) {
        List<Thread> threads = ThreadGraph.of(kryo).writtenThreads();
        Map<Thread, Set<ThreadLocal<?>>> done = new IdentityHashMap<>();
        boolean added = true;
        while (added) {
            added = false;
            for (int i = 0; i < threads.size(); i++) {
                Thread thread = threads.get(i);
                Set<ThreadLocal<?>> keys = done.computeIfAbsent(thread,
                        t -> Collections.newSetFromMap(new IdentityHashMap<>()));
                for (ThreadLocalMaps.Entry entry : ThreadLocalMaps.entries(thread)) {
                    if (keys.contains(entry.key()) || kryo.getReferenceResolver().getWrittenId(entry.key()) < 0) {
                        continue;
                    }
                    keys.add(entry.key());
                    output.writeBoolean(true);
                    try {
                        kryo.writeClassAndObject(output, thread);
                        kryo.writeClassAndObject(output, entry.key());
                        kryo.writeClassAndObject(output, entry.value());
                    } catch (CapturePathException e) {
                        e.root("a ThreadLocal value of thread " + thread.getName());
                        throw e;
                    }
                    added = true;
                }
            }
        }
        output.writeBoolean(false);
    }

    static List<ThreadLocalValue> read(Kryo kryo, Input input) {
        List<ThreadLocalValue> values = new ArrayList<>();
        while (input.readBoolean()) {
            Object thread = kryo.readClassAndObject(input);
            Object key = kryo.readClassAndObject(input);
            Object value = kryo.readClassAndObject(input);
            if (!(thread instanceof Thread) || !(key instanceof ThreadLocal<?>)) {
                throw new KryoException("a thread-local entry holds " + thread + " and " + key
                        + " where a thread and a ThreadLocal belong");
            }
            values.add(new ThreadLocalValue((Thread) thread, (ThreadLocal<?>) key, value));
        }
        return values;
    }
}
