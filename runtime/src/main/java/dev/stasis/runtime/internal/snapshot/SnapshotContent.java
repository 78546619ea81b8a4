package dev.stasis.runtime.internal.snapshot;

import java.util.List;

/**
 * The one object graph a snapshot holds: statics and captured threads are written together so
 * that an object reachable from both is one object after a restore.
 *
 * @param statics in class-initialisation order
 */
public record SnapshotContent(List<ClassStatics> statics, List<ThreadCapture> threads) {
}
