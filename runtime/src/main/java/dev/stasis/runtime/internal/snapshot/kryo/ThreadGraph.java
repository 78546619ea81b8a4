package dev.stasis.runtime.internal.snapshot.kryo;

import com.esotericsoftware.kryo.Kryo;
import dev.stasis.runtime.internal.snapshot.ThreadCapture;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * What the thread serializer needs to know about one graph being written, kept in Kryo's per-graph context:
 * which thread is the JVM's main thread, which live threads are captured in this snapshot, and every thread
 * written so far (whose {@code ThreadLocal} values are written at the end).
 */
final class ThreadGraph {
    private Thread main;
    private final Set<Thread> captured = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<Thread> poolWorkers = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<Thread> written = Collections.newSetFromMap(new IdentityHashMap<>());
    private final List<Thread> writtenInOrder = new ArrayList<>();

    static ThreadGraph of(Kryo kryo) {
        Object found = kryo.getGraphContext().get(ThreadGraph.class);
        if (found == null) {
            found = new ThreadGraph();
            kryo.getGraphContext().put(ThreadGraph.class, found);
        }
        return (ThreadGraph) found;
    }

    /** Before anything is written: the threads this snapshot captures. */
    void begin(List<ThreadCapture> threads) {
        for (ThreadCapture thread : threads) {
            (thread.poolWorker() ? poolWorkers : captured).add(thread.thread());
            if (thread.main()) {
                main = thread.thread();
            }
        }
    }

    boolean isMain(Thread thread) {
        return thread == main;
    }

    boolean isCaptured(Thread thread) {
        return captured.contains(thread);
    }

    /** A captured pool worker: its task resumes on a new worker of the recreated pool, the thread is not recreated. */
    boolean isPoolWorker(Thread thread) {
        return poolWorkers.contains(thread);
    }

    void written(Thread thread) {
        if (written.add(thread)) {
            writtenInOrder.add(thread);
        }
    }

    /** The threads written so far, in order; the list grows while values of thread locals are written. */
    List<Thread> writtenThreads() {
        return writtenInOrder;
    }
}
