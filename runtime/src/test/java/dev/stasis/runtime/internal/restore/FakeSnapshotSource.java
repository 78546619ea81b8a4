package dev.stasis.runtime.internal.restore;

import dev.stasis.runtime.internal.snapshot.Manifest;
import dev.stasis.runtime.internal.snapshot.SnapshotContent;
import dev.stasis.runtime.internal.store.SnapshotFile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A store in memory: snapshots added oldest first, some unreadable, some runs finished. */
final class FakeSnapshotSource implements SnapshotSource {
    static final Path DIRECTORY = Path.of("/var/lib/job");

    private final List<SnapshotFile> newestFirst = new ArrayList<>();
    private final Map<String, Manifest> manifests = new HashMap<>();
    private final Map<String, SnapshotContent> contents = new HashMap<>();
    private final Set<String> finishedRuns = new HashSet<>();
    final List<String> contentReaders = new ArrayList<>();

    static Manifest manifest(String id, String runId, Map<String, String> fingerprints, List<String> initOrder) {
        return new Manifest(Manifest.FORMAT_VERSION, id, runId, 1_764_140_000_000L, "dev", "17", "a.Main", List.of(),
                fingerprints, initOrder, List.of("main:2"));
    }

    FakeSnapshotSource add(Manifest manifest, SnapshotContent content) {
        String id = manifest.snapshotId();
        newestFirst.add(0, new SnapshotFile(id, DIRECTORY.resolve(id + ".snap"), 1234, Instant.EPOCH));
        manifests.put(id, manifest);
        contents.put(id, content);
        return this;
    }

    FakeSnapshotSource addUnreadable(String id) {
        newestFirst.add(0, new SnapshotFile(id, DIRECTORY.resolve(id + ".snap"), 99, Instant.EPOCH));
        return this;
    }

    FakeSnapshotSource finish(String runId) {
        finishedRuns.add(runId);
        return this;
    }

    @Override
    public Path directory() {
        return DIRECTORY;
    }

    @Override
    public List<SnapshotFile> list() {
        return List.copyOf(newestFirst);
    }

    @Override
    public boolean isFinished(String runId) {
        return finishedRuns.contains(runId);
    }

    @Override
    public Manifest readManifest(SnapshotFile file) throws IOException {
        Manifest manifest = manifests.get(file.id());
        if (manifest == null) {
            throw new IOException("bad checksum at offset 512");
        }
        return manifest;
    }

    @Override
    public SnapshotContent readContent(SnapshotFile file, ClassLoader loader) {
        contentReaders.add(Thread.currentThread().getName());
        return contents.get(file.id());
    }
}
