package dev.stasis.runtime.internal.snapshot;

import java.util.List;

/**
 * The one object graph a snapshot holds: statics, captured threads and the application's
 * {@code org.crac} resources are written together so that an object reachable from several of them
 * is one object after a restore.
 *
 * @param statics   in class-initialisation order
 * @param resources the application's {@code org.crac} resources, in registration order (format 3)
 * @param listeners after a read, the server sockets found in the graph, in the order they were read, still
 *                  unbound (a resume binds or closes them); not written, since they are part of the graph
 */
public record SnapshotContent(List<ClassStatics> statics, List<ThreadCapture> threads, List<Object> resources,
                              List<ListeningSocket> listeners) {
    public SnapshotContent {
        resources = List.copyOf(resources);
        listeners = List.copyOf(listeners);
    }

    /** What a checkpoint writes. */
    public SnapshotContent(List<ClassStatics> statics, List<ThreadCapture> threads, List<Object> resources) {
        this(statics, threads, resources, List.of());
    }

    /** Content with no {@code org.crac} resources. */
    public SnapshotContent(List<ClassStatics> statics, List<ThreadCapture> threads) {
        this(statics, threads, List.of());
    }
}
