package dev.stasis.agent.cli;

import dev.stasis.runtime.internal.store.SnapshotFile;
import dev.stasis.runtime.internal.store.SnapshotStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code prune} over real files in a real store. */
class PruneCommandTest {
    private static final String NL = System.lineSeparator();

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return StasisCli.run(new PrintWriter(out), new PrintWriter(err), args);
    }

    private static SnapshotFile snapshot(SnapshotStore store, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        return store.commit(store.newSnapshotId(), o -> {
            o.write(bytes);
            return bytes.length;
        });
    }

    private SnapshotStore storeWith(int snapshots) throws IOException {
        SnapshotStore store = SnapshotStore.open(dir);
        for (int i = 1; i <= snapshots; i++) {
            snapshot(store, "snapshot " + i);
        }
        return store;
    }

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private Path file(String name) {
        return dir.resolve(name);
    }

    @Test
    void keeps_the_newest_n_and_prints_each_deleted_file_and_a_summary() throws IOException {
        storeWith(5);

        assertThat(run("prune", dir.toString(), "--keep", "2")).as(err.toString()).isZero();

        assertThat(names()).containsExactly("snapshot-000004.stasis", "snapshot-000005.stasis");
        assertThat(out.toString()).isEqualTo(
                "deleted " + file("snapshot-000003.stasis") + " (10 B)" + NL
                + "deleted " + file("snapshot-000002.stasis") + " (10 B)" + NL
                + "deleted " + file("snapshot-000001.stasis") + " (10 B)" + NL
                + "deleted 3 files (30 B) in " + dir + "; kept 2 snapshots (000005, 000004)" + NL);
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void orders_by_snapshot_id_not_by_name_or_modification_time() throws IOException {
        Files.writeString(file("snapshot-999999.stasis"), "older id, touched last");
        Files.writeString(file("snapshot-1000000.stasis"), "newest id");
        Files.writeString(file("snapshot-000010.stasis"), "oldest id");
        Files.setLastModifiedTime(file("snapshot-999999.stasis"), FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));
        Files.setLastModifiedTime(file("snapshot-1000000.stasis"), FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));

        assertThat(run("prune", dir.toString(), "--keep", "1")).as(err.toString()).isZero();

        assertThat(names()).containsExactly("snapshot-1000000.stasis");
        assertThat(out.toString()).endsWith("kept 1 snapshot (1000000)" + NL);
    }

    @Test
    void a_dry_run_prints_what_would_go_and_deletes_nothing() throws IOException {
        SnapshotStore store = storeWith(3);
        store.markBroken(store.find("000001").orElseThrow());
        List<String> before = names();

        assertThat(run("prune", dir.toString(), "--keep", "1", "--dry-run", "--broken")).as(err.toString()).isZero();

        assertThat(names()).isEqualTo(before);
        assertThat(out.toString()).isEqualTo(
                "would delete " + file("snapshot-000002.stasis") + " (10 B)" + NL
                + "would delete " + file("snapshot-000001.stasis.broken") + " (10 B)" + NL
                + "dry run: would delete 2 files (20 B) in " + dir + "; would keep 1 snapshot (000003)" + NL);
    }

    @Test
    void broken_snapshots_are_kept_and_counted_unless_asked_for() throws IOException {
        SnapshotStore store = storeWith(3);
        store.markBroken(store.find("000002").orElseThrow());

        assertThat(run("prune", dir.toString(), "--keep", "1")).as(err.toString()).isZero();

        assertThat(names()).containsExactly("snapshot-000002.stasis.broken", "snapshot-000003.stasis");
        assertThat(out.toString()).endsWith("deleted 1 file (10 B) in " + dir + "; kept 1 snapshot (000003)"
                + " and 1 set aside as .broken (--broken deletes them)" + NL);

        out.getBuffer().setLength(0);
        assertThat(run("prune", dir.toString(), "--keep", "1", "--broken")).as(err.toString()).isZero();

        assertThat(names()).containsExactly("snapshot-000003.stasis");
        assertThat(out.toString()).isEqualTo("deleted " + file("snapshot-000002.stasis.broken") + " (10 B)" + NL
                + "deleted 1 file (10 B) in " + dir + "; kept 1 snapshot (000003)" + NL);
    }

    @Test
    void finished_markers_and_a_live_writers_temp_file_are_never_deleted() throws IOException {
        SnapshotStore store = storeWith(2);
        store.markFinished("run-a");
        String liveTemp = ".snapshot-000003.stasis." + ProcessHandle.current().pid() + ".tmp";
        Files.writeString(file(liveTemp), "being written");

        assertThat(run("prune", dir.toString(), "--keep", "1", "--broken")).as(err.toString()).isZero();

        assertThat(names()).containsExactly(liveTemp, "finished-run-a", "snapshot-000002.stasis");
        assertThat(store.isFinished("run-a")).isTrue();
    }

    @Test
    void keeping_more_than_there_are_deletes_nothing() throws IOException {
        storeWith(3);
        List<String> before = names();

        assertThat(run("prune", dir.toString(), "--keep", "10")).as(err.toString()).isZero();

        assertThat(names()).isEqualTo(before);
        assertThat(out.toString()).isEqualTo("nothing to delete in " + dir + "; kept 3 snapshots (000003, 000002, 000001)" + NL);
    }

    @Test
    void an_empty_directory_has_nothing_to_delete() {
        assertThat(run("prune", dir.toString(), "--keep", "1")).isZero();

        assertThat(out.toString()).isEqualTo("nothing to delete in " + dir + "; kept 0 snapshots" + NL);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-3"})
    void a_keep_below_one_is_a_usage_error_and_deletes_nothing(String keep) throws IOException {
        storeWith(2);
        List<String> before = names();

        assertThat(run("prune", dir.toString(), "--keep", keep)).isEqualTo(2);

        assertThat(names()).isEqualTo(before);
        assertThat(err.toString()).contains("Invalid value for option '--keep': --keep must be 1 or more "
                + "(prune never deletes the newest snapshot), was " + keep);
        assertThat(out.toString()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"two", "1.5", "99999999999"})
    void a_keep_that_is_not_a_number_is_a_usage_error_and_deletes_nothing(String keep) throws IOException {
        storeWith(2);
        List<String> before = names();

        assertThat(run("prune", dir.toString(), "--keep", keep)).isEqualTo(2);

        assertThat(names()).isEqualTo(before);
        assertThat(err.toString()).contains("'" + keep + "' is not a number; give how many of the newest snapshots to keep, 1 or more");
    }

    @Test
    void a_missing_keep_is_a_usage_error_and_deletes_nothing() throws IOException {
        storeWith(2);

        assertThat(run("prune", dir.toString())).isEqualTo(2);

        assertThat(names()).hasSize(2);
        assertThat(err.toString()).contains("Missing required option: '--keep=<n>'");
    }

    @Test
    void a_missing_directory_fails_clearly() {
        Path missing = dir.resolve("nope");

        assertThat(run("prune", missing.toString(), "--keep", "1")).isEqualTo(1);

        assertThat(err.toString()).isEqualTo("stasis: cannot prune " + missing + ": no such directory; give the directory of the "
                + "agent's dir= option (default .stasis in the program's working directory)" + NL);
        assertThat(missing).doesNotExist();
    }

    @Test
    void a_file_instead_of_a_directory_fails_clearly_and_is_left_alone() throws IOException {
        Path plain = Files.writeString(dir.resolve("snapshot-000001.stasis"), "x");

        assertThat(run("prune", plain.toString(), "--keep", "1")).isEqualTo(1);

        assertThat(err.toString()).startsWith("stasis: cannot prune " + plain + ": not a directory; give the directory");
        assertThat(plain).hasContent("x");
    }
}
