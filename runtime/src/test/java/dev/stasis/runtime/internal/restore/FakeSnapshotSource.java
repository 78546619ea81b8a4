package dev.stasis.runtime.internal.restore;

import dev.stasis.runtime.internal.snapshot.Manifest;
import dev.stasis.runtime.internal.snapshot.SnapshotContent;
import dev.stasis.runtime.internal.snapshot.SnapshotFormatException;
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

/** A store in memory: snapshots added oldest first, some failing their checks, some runs finished. */
final class FakeSnapshotSource implements SnapshotSource {
    static final Path DIRECTORY = Path.of("/var/lib/job");

    private final List<SnapshotFile> newestFirst = new ArrayList<>();
    private final List<SnapshotFile> broken = new ArrayList<>();
    private final Map<String, Manifest> manifests = new HashMap<>();
    private final Map<String, IOException> failures = new HashMap<>();
    private final Map<String, SnapshotContent> contents = new HashMap<>();
    private final Set<String> finishedRuns = new HashSet<>();
    private RuntimeException readBug;
    private IOException renameFailure;
    final List<String> contentReaders = new ArrayList<>();

    static Manifest manifest(String id, String runId, Map<String, String> fingerprints, List<String> initOrder) {
        return new Manifest(Manifest.FORMAT_VERSION, id, runId, 1_764_140_000_000L, "dev", "17", "a.Main", List.of(),
                fingerprints, initOrder, List.of("main:2"));
    }

    FakeSnapshotSource add(Manifest manifest, SnapshotContent content) {
        String id = manifest.snapshotId();
        newestFirst.add(0, new SnapshotFile(id, path(id), 1234, Instant.EPOCH));
        manifests.put(id, manifest);
        contents.put(id, content);
        return this;
    }

    /** A snapshot whose checksum fails at offset 512. */
    FakeSnapshotSource addDamaged(String id) {
        return addFailing(id, SnapshotFormatException.at(path(id), 512, "CRC32C mismatch in data block 0"));
    }

    /** A snapshot whose checks throw {@code failure}. */
    FakeSnapshotSource addFailing(String id, IOException failure) {
        newestFirst.add(0, new SnapshotFile(id, path(id), 99, Instant.EPOCH));
        failures.put(id, failure);
        return this;
    }

    /** Every manifest read throws {@code bug}, as a codec with a bug would. */
    FakeSnapshotSource throwingOnRead(RuntimeException bug) {
        readBug = bug;
        return this;
    }

    /** Every rename to .broken fails with {@code failure}, as on a read-only mount. */
    FakeSnapshotSource failingToSetAside(IOException failure) {
        renameFailure = failure;
        return this;
    }

    static Path path(String id) {
        return DIRECTORY.resolve("snapshot-" + id + ".stasis");
    }

    /** The files set aside so far, newest first. */
    List<SnapshotFile> setAside() {
        return List.copyOf(broken);
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
    public List<SnapshotFile> listBroken() {
        return List.copyOf(broken);
    }

    @Override
    public boolean isFinished(String runId) {
        return finishedRuns.contains(runId);
    }

    @Override
    public Manifest readManifest(SnapshotFile file) throws IOException {
        if (readBug != null) {
            throw readBug;
        }
        IOException failure = failures.get(file.id());
        if (failure != null) {
            throw failure;
        }
        return manifests.get(file.id());
    }

    @Override
    public Manifest readManifestUnauthenticated(SnapshotFile file) throws IOException {
        throw new IOException("the fake holds no manifest for a failing snapshot");
    }

    @Override
    public Path setAside(SnapshotFile file) throws IOException {
        if (renameFailure != null) {
            throw renameFailure;
        }
        if (!newestFirst.remove(file)) {
            throw new IOException("no such file: " + file.path());
        }
        Path aside = file.path().resolveSibling(file.path().getFileName() + ".broken");
        broken.add(new SnapshotFile(file.id(), aside, file.bytes(), file.modified()));
        return aside;
    }

    @Override
    public SnapshotContent readContent(SnapshotFile file, ClassLoader loader) {
        contentReaders.add(Thread.currentThread().getName());
        return contents.get(file.id());
    }
}
