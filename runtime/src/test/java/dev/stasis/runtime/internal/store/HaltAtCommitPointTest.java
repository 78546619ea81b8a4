package dev.stasis.runtime.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test hook that halts a real agent at a named commit point: here the halt only records what
 * the directory held at that instant, which is what a halted JVM leaves on disk.
 */
class HaltAtCommitPointTest {
    private static final int SNAPSHOT_BYTES = 10_000;

    @TempDir
    Path tmp;

    /** What the directory held when the hook fired: file name to size. */
    private Map<String, Long> atHalt;
    private String haltMessage;

    private static final class Halted extends RuntimeException {
        Halted() {
            super("halted");
        }
    }

    private SnapshotStore storeHaltingAt(String spec) throws IOException {
        HaltAtCommitPoint files = new HaltAtCommitPoint(SnapshotFiles.nio(), HaltAtCommitPoint.Plan.parse(spec), where -> {
            haltMessage = where;
            atHalt = sizesIn(tmp);
            throw new Halted();
        });
        return SnapshotStore.open(tmp, files, 4242);
    }

    private static SnapshotFile commit(SnapshotStore store) throws IOException {
        return store.commit(store.newSnapshotId(), out -> {
            out.write(new byte[SNAPSHOT_BYTES]);
            return SNAPSHOT_BYTES;
        });
    }

    @Test
    void before_the_temp_write_nothing_of_the_snapshot_exists() throws IOException {
        SnapshotStore store = storeHaltingAt("before-temp-write");

        assertThatThrownBy(() -> commit(store)).isInstanceOf(Halted.class);

        assertThat(atHalt).isEmpty();
        assertThat(haltMessage).isEqualTo("at before-temp-write of snapshot 000001 (commit 1 of this process)");
    }

    @Test
    void mid_write_the_temp_file_has_exactly_the_planned_bytes() throws IOException {
        SnapshotStore store = storeHaltingAt("mid-write:1:1234");

        assertThatThrownBy(() -> commit(store)).isInstanceOf(Halted.class);

        assertThat(atHalt).containsExactly(Map.entry(".snapshot-000001.stasis.4242.tmp", 1234L));
        assertThat(haltMessage).isEqualTo("at mid-write of snapshot 000001 (commit 1 of this process) after 1234 bytes");
    }

    @Test
    void mid_write_at_a_percentage_cuts_the_snapshot_there() throws IOException {
        SnapshotStore store = storeHaltingAt("mid-write:1:37%");

        assertThatThrownBy(() -> commit(store)).isInstanceOf(Halted.class);

        assertThat(atHalt).containsExactly(Map.entry(".snapshot-000001.stasis.4242.tmp", 3700L));
        assertThat(haltMessage).isEqualTo("at mid-write of snapshot 000001 (commit 1 of this process) after 3700 of 10000 bytes (37%)");
    }

    @Test
    void mid_write_beyond_the_end_halts_before_the_fsync() throws IOException {
        SnapshotStore store = storeHaltingAt("mid-write:1:" + (SNAPSHOT_BYTES + 1));

        assertThatThrownBy(() -> commit(store)).isInstanceOf(Halted.class);

        assertThat(atHalt).containsExactly(Map.entry(".snapshot-000001.stasis.4242.tmp", (long) SNAPSHOT_BYTES));
        assertThat(haltMessage).endsWith("the snapshot has only 10000 bytes, halting before its fsync");
    }

    @Test
    void after_the_file_fsync_the_temp_file_is_complete() throws IOException {
        SnapshotStore store = storeHaltingAt("after-file-fsync");

        assertThatThrownBy(() -> commit(store)).isInstanceOf(Halted.class);

        assertThat(atHalt).containsExactly(Map.entry(".snapshot-000001.stasis.4242.tmp", (long) SNAPSHOT_BYTES));
    }

    @Test
    void after_the_rename_the_snapshot_has_its_final_name() throws IOException {
        SnapshotStore store = storeHaltingAt("after-rename");

        assertThatThrownBy(() -> commit(store)).isInstanceOf(Halted.class);

        assertThat(atHalt).containsExactly(Map.entry("snapshot-000001.stasis", (long) SNAPSHOT_BYTES));
        assertThat(haltMessage).isEqualTo("at after-rename of snapshot 000001 (commit 1 of this process)");
    }

    @Test
    void after_the_directory_fsync_the_commit_is_complete() throws IOException {
        SnapshotStore store = storeHaltingAt("after-directory-fsync");

        assertThatThrownBy(() -> commit(store)).isInstanceOf(Halted.class);

        assertThat(atHalt).containsExactly(Map.entry("snapshot-000001.stasis", (long) SNAPSHOT_BYTES));
    }

    @Test
    void halts_only_in_the_chosen_commit_and_never_for_other_files() throws IOException {
        SnapshotStore store = storeHaltingAt("after-directory-fsync:3");
        commit(store);
        store.markFinished("run-1");
        store.prune(5);
        commit(store);

        assertThatThrownBy(() -> commit(store)).isInstanceOf(Halted.class);

        assertThat(atHalt).containsOnlyKeys("snapshot-000001.stasis", "snapshot-000002.stasis", "snapshot-000003.stasis",
                "finished-run-1");
        assertThat(haltMessage).isEqualTo("at after-directory-fsync of snapshot 000003 (commit 3 of this process)");
    }

    @Test
    void a_malformed_plan_names_what_is_wrong() {
        assertThatThrownBy(() -> HaltAtCommitPoint.Plan.parse("after-lunch"))
                .hasMessage("unknown commit point 'after-lunch'; the points are before-temp-write, mid-write, "
                        + "after-file-fsync, after-rename, after-directory-fsync");
        assertThatThrownBy(() -> HaltAtCommitPoint.Plan.parse("mid-write:x")).hasMessageStartingWith("checkpoint, bytes and percent must be whole numbers");
        assertThatThrownBy(() -> HaltAtCommitPoint.Plan.parse("mid-write:1:0%")).hasMessage("percent must be between 1 and 99, was 0");
        assertThatThrownBy(() -> HaltAtCommitPoint.Plan.parse("mid-write:1:100%")).hasMessage("percent must be between 1 and 99, was 100");
        assertThatThrownBy(() -> HaltAtCommitPoint.Plan.parse("mid-write:0")).hasMessage("checkpoint and bytes must be at least 1");
        assertThat(HaltAtCommitPoint.Plan.parse("after-rename:2"))
                .isEqualTo(new HaltAtCommitPoint.Plan(CommitPoint.AFTER_RENAME, 2, 1, 0));
        assertThat(HaltAtCommitPoint.Plan.parse("mid-write:3:40%"))
                .isEqualTo(new HaltAtCommitPoint.Plan(CommitPoint.MID_WRITE, 3, 1, 40));
    }

    @Test
    void without_the_property_the_files_are_not_wrapped() {
        assertThat(System.getProperty(HaltAtCommitPoint.PROPERTY)).isNull();

        assertThat(HaltAtCommitPoint.wrapIfRequested(SnapshotFiles.nio())).isSameAs(SnapshotFiles.nio());
    }

    private static Map<String, Long> sizesIn(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            Map<String, Long> sizes = new TreeMap<>();
            for (Path entry : (Iterable<Path>) entries::iterator) {
                sizes.put(entry.getFileName().toString(), Files.size(entry));
            }
            return sizes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
