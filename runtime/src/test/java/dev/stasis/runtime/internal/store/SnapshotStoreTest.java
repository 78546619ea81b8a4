package dev.stasis.runtime.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.stasis.runtime.internal.snapshot.ClassStatics;
import dev.stasis.runtime.internal.snapshot.Manifest;
import dev.stasis.runtime.internal.snapshot.SnapshotCodec;
import dev.stasis.runtime.internal.snapshot.SnapshotContent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotStoreTest {
    /** Beyond the largest pid Linux can give (2^22): no process has it. */
    static final long DEAD_PID = 999_999_999L;

    @TempDir
    Path tmp;

    private static SnapshotFile commitText(SnapshotStore store, String text) throws IOException {
        return store.commit(store.newSnapshotId(), out -> {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            out.write(bytes);
            return bytes.length;
        });
    }

    private static List<String> namesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void open_creates_a_missing_directory_private_to_the_user() throws IOException {
        Path dir = tmp.resolve("a/b/snapshots");

        SnapshotStore store = SnapshotStore.open(dir);

        assertThat(store.directory()).isEqualTo(dir.toAbsolutePath());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(store.list()).isEmpty();
    }

    @Test
    void committed_snapshot_is_private_to_the_user_and_listed() throws IOException {
        SnapshotStore store = SnapshotStore.open(tmp);

        SnapshotFile file = commitText(store, "hello");

        assertThat(file.id()).isEqualTo("000001");
        assertThat(file.path()).isEqualTo(tmp.resolve("snapshot-000001.stasis"));
        assertThat(file.bytes()).isEqualTo(5);
        assertThat(Files.readString(file.path())).isEqualTo("hello");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path()))).isEqualTo("rw-------");
        assertThat(namesIn(tmp)).containsExactly("snapshot-000001.stasis");
        assertThat(store.find("000001")).contains(file);
        assertThat(store.find("000002")).isEmpty();
    }

    @Test
    void a_snapshot_written_by_the_codec_commits_and_reads_back_whole() throws IOException {
        SnapshotStore store = SnapshotStore.open(tmp);
        Manifest manifest = new Manifest(Manifest.FORMAT_VERSION, "000001", "run-1", 1L, "0.1.0", "17", "a.Main",
                List.of(), Map.of(), List.of(), List.of());
        SnapshotContent content = new SnapshotContent(
                List.of(new ClassStatics("a.Main", List.of("x"), List.of(41))), List.of());

        SnapshotFile file = store.commit(store.newSnapshotId(), out -> SnapshotCodec.write(out, manifest, content));

        assertThat(file.bytes()).isEqualTo(Files.size(file.path()));
        assertThat(SnapshotCodec.readManifest(file.path())).isEqualTo(manifest);
        assertThat(SnapshotCodec.readContent(file.path(), getClass().getClassLoader()).statics().get(0).values())
                .containsExactly(41);
    }

    @Test
    void ids_increase_past_every_snapshot_present_and_list_is_newest_first() throws IOException {
        Files.writeString(tmp.resolve("snapshot-000041.stasis"), "old");
        Files.writeString(tmp.resolve("snapshot-000007.stasis"), "older");
        Files.writeString(tmp.resolve("notes.txt"), "not a snapshot");
        SnapshotStore store = SnapshotStore.open(tmp);

        SnapshotFile next = commitText(store, "new");
        String afterThat = store.newSnapshotId();

        assertThat(next.id()).isEqualTo("000042");
        assertThat(afterThat).isEqualTo("000043");
        assertThat(store.list()).extracting(SnapshotFile::id).containsExactly("000042", "000041", "000007");
    }

    @Test
    void ids_order_numerically_beyond_six_digits() throws IOException {
        Files.writeString(tmp.resolve("snapshot-999999.stasis"), "x");
        SnapshotStore store = SnapshotStore.open(tmp);

        commitText(store, "y");

        assertThat(store.list()).extracting(SnapshotFile::id).containsExactly("1000000", "999999");
    }

    @Test
    void prune_keeps_the_newest() throws IOException {
        SnapshotStore store = SnapshotStore.open(tmp);
        for (int i = 0; i < 5; i++) {
            commitText(store, "s" + i);
        }

        store.prune(2);

        assertThat(store.list()).extracting(SnapshotFile::id).containsExactly("000005", "000004");
        assertThatThrownBy(() -> store.prune(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void prune_deletes_exactly_what_prunable_names_and_never_markers_broken_or_temp_files() throws IOException {
        SnapshotStore store = SnapshotStore.open(tmp);
        for (int i = 0; i < 4; i++) {
            commitText(store, "s" + i);
        }
        store.markBroken(store.find("000002").orElseThrow());
        store.markFinished("run-1");
        Path liveTemp = Files.writeString(tmp.resolve(".snapshot-000009.stasis." + ProcessHandle.current().pid() + ".tmp"), "x");
        List<SnapshotFile> named = store.prunable(1);
        List<SnapshotFile> deleted = new ArrayList<>();

        store.prune(1, deleted::add);

        assertThat(named).extracting(SnapshotFile::id).containsExactly("000003", "000001");
        assertThat(deleted).isEqualTo(named);
        assertThat(namesIn(tmp)).containsExactly(liveTemp.getFileName().toString(), "finished-run-1",
                "snapshot-000002.stasis.broken", "snapshot-000004.stasis");
        assertThatThrownBy(() -> store.prunable(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void delete_broken_deletes_only_the_set_aside_snapshots() throws IOException {
        SnapshotStore store = SnapshotStore.open(tmp);
        SnapshotFile damaged = commitText(store, "damaged");
        SnapshotFile intact = commitText(store, "intact");
        Path aside = store.markBroken(damaged);
        List<SnapshotFile> deleted = new ArrayList<>();

        store.deleteBroken(deleted::add);

        assertThat(deleted).extracting(SnapshotFile::path).containsExactly(aside);
        assertThat(store.list()).containsExactly(intact);
        assertThat(store.listBroken()).isEmpty();
    }

    @Test
    void a_failed_delete_during_prune_keeps_the_earlier_deletions_durable_and_reports_only_them() throws IOException {
        for (int i = 1; i <= 4; i++) {
            Files.writeString(tmp.resolve(String.format("snapshot-%06d.stasis", i)), "s" + i);
        }
        FaultInjectingFiles files = new FaultInjectingFiles(tmp).failing(FaultInjectingFiles.Operation.DELETE, 2);
        SnapshotStore store = SnapshotStore.open(tmp, files);
        List<SnapshotFile> deleted = new ArrayList<>();

        assertThatThrownBy(() -> store.prune(1, deleted::add)).hasMessageContaining("injected failure of DELETE #2");

        assertThat(deleted).extracting(SnapshotFile::id).containsExactly("000003");
        assertThat(namesIn(tmp)).containsExactly("snapshot-000001.stasis", "snapshot-000002.stasis", "snapshot-000004.stasis");
        assertThat(files.allDurable()).as(files.log()).isTrue();
    }

    @Test
    void a_failing_write_leaves_nothing_behind_and_the_previous_snapshot_intact() throws IOException {
        SnapshotStore store = SnapshotStore.open(tmp);
        SnapshotFile previous = commitText(store, "good");
        String id = store.newSnapshotId();

        assertThatThrownBy(() -> store.commit(id, out -> {
            out.write(new byte[100_000]);
            throw new IOException("disk full");
        })).isInstanceOf(IOException.class).hasMessage("disk full");
        assertThatThrownBy(() -> store.commit(store.newSnapshotId(), out -> {
            out.write(1);
            throw new UncheckedIOException(new IOException("stream broke"));
        })).isInstanceOf(UncheckedIOException.class);

        assertThat(namesIn(tmp)).containsExactly("snapshot-000001.stasis");
        assertThat(store.list()).containsExactly(previous);
        assertThat(Files.readString(previous.path())).isEqualTo("good");
    }

    @Test
    void an_action_that_closes_its_stream_still_commits_durably() throws IOException {
        SnapshotStore store = SnapshotStore.open(tmp);

        SnapshotFile file = store.commit(store.newSnapshotId(), out -> {
            out.write(new byte[] {1, 2, 3});
            out.close();
            return 3;
        });

        assertThat(Files.readAllBytes(file.path())).containsExactly(1, 2, 3);
    }

    @Test
    void an_existing_id_is_never_overwritten() throws IOException {
        SnapshotStore store = SnapshotStore.open(tmp);
        SnapshotFile first = commitText(store, "first");

        assertThatThrownBy(() -> store.commit(first.id(), out -> 0)).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readString(first.path())).isEqualTo("first");
    }

    @Test
    void open_deletes_temp_files_of_a_crashed_writer_and_list_never_shows_them() throws IOException {
        Files.writeString(tmp.resolve(".snapshot-000003.stasis." + DEAD_PID + ".tmp"), "half");
        Files.writeString(tmp.resolve(".finished-run-1." + DEAD_PID + ".tmp"), "half");
        Files.writeString(tmp.resolve(".stasis-probe-123." + DEAD_PID + ".tmp"), "");
        Files.writeString(tmp.resolve("snapshot-000002.stasis"), "whole");
        SnapshotStore readOnly = SnapshotStore.openExisting(tmp);
        assertThat(readOnly.list()).extracting(SnapshotFile::id).containsExactly("000002");
        assertThat(namesIn(tmp)).contains(".snapshot-000003.stasis." + DEAD_PID + ".tmp");

        SnapshotStore store = SnapshotStore.open(tmp);

        assertThat(namesIn(tmp)).containsExactly("snapshot-000002.stasis");
        assertThat(store.list()).extracting(SnapshotFile::id).containsExactly("000002");
    }

    @Test
    void open_leaves_the_temp_file_of_a_live_writer_alone() throws IOException {
        long me = ProcessHandle.current().pid();
        Path live = Files.writeString(tmp.resolve(".snapshot-000004.stasis." + me + ".tmp"), "being written");

        SnapshotStore.open(tmp);

        assertThat(live).as("written by a process that is running and started before it").hasContent("being written");
    }

    @Test
    void open_deletes_a_temp_file_whose_pid_now_belongs_to_a_process_started_after_it() throws IOException {
        long me = ProcessHandle.current().pid();
        Path reused = Files.writeString(tmp.resolve(".snapshot-000004.stasis." + me + ".tmp"), "from a previous container run");
        Files.setLastModifiedTime(reused, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));

        SnapshotStore.open(tmp);

        assertThat(reused).doesNotExist();
    }

    @Test
    void temp_files_carry_the_writers_pid() throws IOException {
        FaultInjectingFiles files = new FaultInjectingFiles(tmp).failing(FaultInjectingFiles.Operation.FORCE, 1)
                .failing(FaultInjectingFiles.Operation.DELETE, 1);
        SnapshotStore store = SnapshotStore.open(tmp, files, 4242);

        assertThatThrownBy(() -> commitText(store, "x")).isInstanceOf(IOException.class);

        assertThat(namesIn(tmp)).containsExactly(".snapshot-000001.stasis.4242.tmp");
    }

    @Test
    void a_temp_file_that_could_not_be_deleted_after_a_failure_goes_at_the_next_commit() throws IOException {
        FaultInjectingFiles files = new FaultInjectingFiles(tmp).failing(FaultInjectingFiles.Operation.RENAME, 1)
                .failing(FaultInjectingFiles.Operation.DELETE, 1);
        SnapshotStore store = SnapshotStore.open(tmp, files);

        assertThatThrownBy(() -> commitText(store, "lost"))
                .hasMessageContaining("injected failure of RENAME")
                .satisfies(e -> assertThat(e.getSuppressed()).singleElement().asString().contains("injected failure of DELETE"));
        assertThat(namesIn(tmp)).singleElement().asString().startsWith(".snapshot-000001.stasis.");

        SnapshotFile next = commitText(store, "kept");

        assertThat(namesIn(tmp)).containsExactly(next.path().getFileName().toString());
    }

    @Test
    void a_failed_directory_fsync_takes_the_renamed_snapshot_back() throws IOException {
        SnapshotStore store = SnapshotStore.open(tmp, new FaultInjectingFiles(tmp).failing(FaultInjectingFiles.Operation.SYNC_DIRECTORY, 1));

        assertThatThrownBy(() -> commitText(store, "not durable")).hasMessageContaining("injected failure of SYNC_DIRECTORY");

        assertThat(namesIn(tmp)).as("a commit that reports failure adds nothing").isEmpty();
        assertThat(commitText(store, "durable").id()).isEqualTo("000002");
    }

    @Test
    void a_broken_snapshot_is_set_aside_and_no_longer_listed() throws IOException {
        SnapshotStore store = SnapshotStore.open(tmp);
        SnapshotFile older = commitText(store, "older");
        SnapshotFile newer = commitText(store, "damaged");

        Path aside = store.markBroken(newer);

        assertThat(aside).isEqualTo(tmp.resolve("snapshot-000002.stasis.broken"));
        assertThat(Files.readString(aside)).isEqualTo("damaged");
        assertThat(store.list()).containsExactly(older);
        assertThat(store.listBroken()).extracting(SnapshotFile::id, SnapshotFile::path).containsExactly(tuple("000002", aside));
        assertThat(SnapshotStore.open(tmp).newSnapshotId()).as("the id of a broken snapshot is never reused").isEqualTo("000003");
    }

    @Test
    void finished_markers_are_per_run() throws IOException {
        SnapshotStore store = SnapshotStore.open(tmp);

        store.markFinished("run-7");
        store.markFinished("run-7");

        assertThat(store.isFinished("run-7")).isTrue();
        assertThat(store.isFinished("run-8")).isFalse();
        assertThat(namesIn(tmp)).containsExactly("finished-run-7");
        assertThatThrownBy(() -> store.markFinished("../escape")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void an_unwritable_directory_is_refused_with_owner_mode_and_what_to_do() throws IOException {
        Path proc = Path.of("/proc");
        String owner = Files.getOwner(proc).getName();
        String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(proc));

        assertThatThrownBy(() -> SnapshotStore.open(proc))
                .isInstanceOf(IOException.class)
                .hasMessage("snapshot directory /proc is not writable (owner " + owner + ", mode " + mode
                        + "): choose another with dir=PATH");
    }

    @Test
    void a_read_only_directory_opens_for_reading() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("ro"));
        Files.writeString(dir.resolve("snapshot-000001.stasis"), "x");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-x------"));
        try {
            assertThat(SnapshotStore.openExisting(dir).list()).extracting(SnapshotFile::id).containsExactly("000001");
        } finally {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void a_file_where_the_directory_should_be_is_refused() throws IOException {
        Path file = Files.writeString(tmp.resolve("plain"), "x");

        assertThatThrownBy(() -> SnapshotStore.open(file))
                .hasMessage("snapshot directory " + file + " is not a directory: choose another with dir=PATH");
    }

    @Test
    void open_existing_never_creates_the_directory() {
        Path missing = tmp.resolve("missing");

        assertThatThrownBy(() -> SnapshotStore.openExisting(missing)).isInstanceOf(NoSuchFileException.class);
        assertThat(missing).doesNotExist();
    }
}
