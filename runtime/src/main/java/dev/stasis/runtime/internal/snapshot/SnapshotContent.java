package dev.stasis.runtime.internal.snapshot;

import java.util.List;

/**
 * The one object graph a snapshot holds: statics, captured threads and the application's
 * {@code org.crac} resources are written together so that an object reachable from several of them
 * is one object after a restore.
 *
 * @param statics   in class-initialisation order
 * @param resources the application's {@code org.crac} resources, in registration order (format 3)
 */
public record SnapshotContent(List<ClassStatics> statics, List<ThreadCapture> threads, List<Object> resources) {
    public SnapshotContent {
        resources = List.copyOf(resources);
    }

    /** Content with no {@code org.crac} resources. */
    public SnapshotContent(List<ClassStatics> statics, List<ThreadCapture> threads) {
        this(statics, threads, List.of());
    }
}
