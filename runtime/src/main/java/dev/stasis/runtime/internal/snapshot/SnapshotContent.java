package dev.stasis.runtime.internal.snapshot;

import java.util.List;

/**
 * The one object graph a snapshot holds: statics and captured threads are written together so
 * that an object reachable from both is one object after a restore.
 *
 * @param statics   in class-initialisation order
 * @param listeners after a read, the server sockets found in the graph, in the order they were read, still
 *                  unbound (a resume binds or closes them); not written, since they are part of the graph
 */
public record SnapshotContent(List<ClassStatics> statics, List<ThreadCapture> threads, List<ListeningSocket> listeners) {
    public SnapshotContent {
        listeners = List.copyOf(listeners);
    }

    /** What a checkpoint writes. */
    public SnapshotContent(List<ClassStatics> statics, List<ThreadCapture> threads) {
        this(statics, threads, List.of());
    }
}
