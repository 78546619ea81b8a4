package dev.stasis.runtime.internal.snapshot;

import dev.stasis.runtime.internal.snapshot.executors.RestoredPool;
import dev.stasis.runtime.internal.snapshot.threads.ThreadLocalValue;
import java.util.List;

/**
 * The one object graph a snapshot holds: statics, captured threads and the application's
 * {@code org.crac} resources are written together so that an object reachable from several of them
 * is one object after a restore.
 *
 * @param statics      in class-initialisation order
 * @param threads      the captured application threads, the main thread first when it was captured
 * @param resources    the application's {@code org.crac} resources, in registration order (format 3)
 * @param threadLocals after a read, the values the graph's threads held in {@code ThreadLocal}s the rest of the
 *                     graph reaches (format 5); not given to a write, which reads them from the threads
 * @param listeners    after a read, the server sockets found in the graph, in the order they were read, still
 *                     unbound (a resume binds or closes them); not written, since they are part of the graph
 * @param pools        after a read, the {@code ThreadPoolExecutor}s found in the graph, without workers (a resume
 *                     starts them); not written, since they are part of the graph
 */
public record SnapshotContent(List<ClassStatics> statics, List<ThreadCapture> threads, List<Object> resources,
                              List<ThreadLocalValue> threadLocals, List<ListeningSocket> listeners,
                              List<RestoredPool> pools) {
    public SnapshotContent {
        resources = List.copyOf(resources);
        threadLocals = List.copyOf(threadLocals);
        listeners = List.copyOf(listeners);
        pools = List.copyOf(pools);
    }

    /** What a checkpoint writes. */
    public SnapshotContent(List<ClassStatics> statics, List<ThreadCapture> threads, List<Object> resources) {
        this(statics, threads, resources, List.of(), List.of(), List.of());
    }

    /** Content with no {@code org.crac} resources. */
    public SnapshotContent(List<ClassStatics> statics, List<ThreadCapture> threads) {
        this(statics, threads, List.of());
    }

    /** The captured main thread, or null when it had ended before the checkpoint. */
    public ThreadCapture mainThread() {
        return threads.stream().filter(ThreadCapture::main).findFirst().orElse(null);
    }
}
