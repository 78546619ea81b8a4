package dev.stasis.agent.cli;

import dev.stasis.runtime.internal.snapshot.Manifest;
import dev.stasis.runtime.internal.snapshot.SnapshotCodec;
import dev.stasis.runtime.internal.snapshot.SnapshotContent;
import dev.stasis.runtime.internal.store.SnapshotFile;
import dev.stasis.runtime.internal.store.SnapshotStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code list} over a real store: resumable, finished and corrupt snapshots side by side. */
class ListCommandTest {
    private static final long CREATED = 1_795_000_000_000L;

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private SnapshotFile snapshot(SnapshotStore store, String runId) throws IOException {
        String id = store.newSnapshotId();
        Manifest manifest = new Manifest(Manifest.FORMAT_VERSION, id, runId, CREATED, "test", "17", "com.acme.Job", List.of(),
                Map.of(), List.of(), List.of("main:1"));
        return store.commit(id, o -> SnapshotCodec.write(o, manifest, new SnapshotContent(List.of(), List.of())));
    }

    @Test
    void lists_newest_first_with_the_state_of_each() throws IOException {
        SnapshotStore store = SnapshotStore.open(dir);
        SnapshotFile finished = snapshot(store, "run-a");
        SnapshotFile corrupt = snapshot(store, "run-b");
        SnapshotFile resumable = snapshot(store, "run-b");
        store.markFinished("run-a");
        try (RandomAccessFile f = new RandomAccessFile(corrupt.path().toFile(), "rw")) {
            f.seek(20);
            int b = f.read();
            f.seek(20);
            f.write(b ^ 0xFF);
        }

        int code = StasisCli.run(new PrintWriter(out), new PrintWriter(err), "list", dir.toString());

        assertThat(code).as(err.toString()).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).matches("ID +TIME +SIZE +STATE");
        assertThat(lines.get(1)).startsWith(resumable.id() + "  2026-11-18T").endsWith("  resumable");
        assertThat(lines.get(2)).startsWith(corrupt.id() + "  ").contains("  corrupt: ");
        assertThat(lines.get(3)).startsWith(finished.id() + "  2026-11-18T").endsWith("  finished");
    }

    @Test
    void lists_a_snapshot_set_aside_as_broken_in_its_place_with_why() throws IOException {
        SnapshotStore store = SnapshotStore.open(dir);
        SnapshotFile older = snapshot(store, "run-a");
        SnapshotFile damaged = snapshot(store, "run-a");
        SnapshotFile newer = snapshot(store, "run-a");
        try (RandomAccessFile f = new RandomAccessFile(damaged.path().toFile(), "rw")) {
            f.setLength(f.length() - 1);
        }
        store.markBroken(damaged);

        int code = StasisCli.run(new PrintWriter(out), new PrintWriter(err), "list", dir.toString());

        assertThat(code).as(err.toString()).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(1)).startsWith(newer.id() + "  ").endsWith("  resumable");
        assertThat(lines.get(2)).startsWith(damaged.id() + "  ")
                .contains("  broken, set aside as snapshot-" + damaged.id() + ".stasis.broken: snapshot " + damaged.path()
                        + ".broken is unusable at byte offset ");
        assertThat(lines.get(3)).startsWith(older.id() + "  ").endsWith("  resumable");
    }

    @Test
    void an_empty_directory_says_there_is_nothing() {
        int code = StasisCli.run(new PrintWriter(out), new PrintWriter(err), "list", dir.toString());

        assertThat(code).isZero();
        assertThat(out.toString()).isEqualTo("no snapshots in " + dir + System.lineSeparator());
    }
}
