package dev.stasis.runtime.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stasis.runtime.internal.store.FaultInjectingFiles.Operation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * I/O errors at every step of commits and prunes (write, fsync, rename, directory fsync, create,
 * delete, a full disk), each case a different seed: a commit that fails adds nothing, leaves no
 * temp file and takes nothing committed before; once the fault is gone the next commit succeeds.
 */
class CommitFailureTest {
    private static final long BASE_SEED = Long.getLong("stasis.test.seed", System.nanoTime());
    private static final int CASES = Integer.getInteger("stasis.test.failureCases", 150);
    private static final int KEEP = 2;

    @TempDir
    Path tmp;

    @Test
    void a_failed_commit_adds_nothing_leaves_no_temp_file_and_keeps_every_committed_snapshot() throws Exception {
        int failedCommits = 0;
        for (int i = 0; i < CASES; i++) {
            long seed = BASE_SEED + i;
            Random random = new Random(seed);
            Path dir = Files.createTempDirectory(tmp, "case-");
            FaultInjectingFiles files = new FaultInjectingFiles(dir);
            String fault = injectOneFault(files, random);
            String context = "seed " + seed + " (rerun the first case with -Dstasis.test.seed=" + seed + "), " + fault;
            SnapshotStore store = SnapshotStore.open(dir, files);
            Map<String, byte[]> committed = new LinkedHashMap<>();

            for (int k = 0; k < 4; k++) {
                String id = store.newSnapshotId();
                byte[] payload = PayloadSnapshots.randomPayload(random, 100_000);
                try {
                    PayloadSnapshots.commit(store, id, payload);
                    committed.put(id, payload);
                } catch (IOException e) {
                    failedCommits++;
                    assertThat(Files.exists(dir.resolve("snapshot-" + id + ".stasis"))).as("failed commit %s, %s%n%s", id,
                            context, files.log()).isFalse();
                }
                assertNoTempFiles(dir, context + "\n" + files.log());
                assertEveryCommittedSnapshotIntact(store, committed, context + "\n" + files.log());
                pruneLikeACheckpoint(store, committed);
            }

            files.heal();
            byte[] payload = PayloadSnapshots.randomPayload(random, 100_000);
            SnapshotFile after = PayloadSnapshots.commit(store, payload);
            assertThat(PayloadSnapshots.payloadOf(after.path())).as("the commit once the fault is gone, " + context)
                    .isEqualTo(payload);
        }
        assertThat(failedCommits).as("commits that met their injected fault").isGreaterThan(CASES / 2);
    }

    @Test
    void a_full_disk_fails_every_commit_cleanly_until_there_is_room_again() throws IOException {
        FaultInjectingFiles files = new FaultInjectingFiles(tmp);
        SnapshotStore store = SnapshotStore.open(tmp, files);
        Random random = new Random(1);
        byte[] first = PayloadSnapshots.randomPayload(random, 50_000);
        SnapshotFile kept = PayloadSnapshots.commit(store, first);
        files.diskFullAfter(30_000);

        for (int attempt = 0; attempt < 3; attempt++) {
            assertThatThrownBy(() -> PayloadSnapshots.commit(store, new byte[60_000]))
                    .isInstanceOf(IOException.class).hasMessage("No space left on device");
            assertThat(namesIn(tmp)).containsExactly(kept.path().getFileName().toString());
        }
        files.heal();
        byte[] later = PayloadSnapshots.randomPayload(random, 50_000);
        SnapshotFile next = PayloadSnapshots.commit(store, later);

        assertThat(next.id()).isEqualTo("000005");
        assertThat(PayloadSnapshots.payloadOf(kept.path())).isEqualTo(first);
        assertThat(PayloadSnapshots.payloadOf(next.path())).isEqualTo(later);
    }

    /** Picks the operation and its occurrence, or a disk that fills up after some bytes. */
    private static String injectOneFault(FaultInjectingFiles files, Random random) {
        if (random.nextInt(6) == 0) {
            long room = random.nextInt(300_000);
            files.diskFullAfter(room);
            return "disk full after " + room + " bytes";
        }
        Operation[] operations = Operation.values();
        Operation operation = operations[random.nextInt(operations.length)];
        int nth = 1 + random.nextInt(operation == Operation.WRITE ? 8 : 4);
        files.failing(operation, nth);
        return operation + " #" + nth + " fails";
    }

    /** A checkpoint prunes after each commit and reports, but survives, a failed prune. */
    private static void pruneLikeACheckpoint(SnapshotStore store, Map<String, byte[]> committed) throws IOException {
        try {
            store.prune(KEEP);
        } catch (IOException e) {
            // what was deleted before the failure is gone; the rest stays
        }
        List<String> listed = store.list().stream().map(SnapshotFile::id).toList();
        List<String> newest = new ArrayList<>(committed.keySet());
        assertThat(listed).as("a prune, failed or not, keeps the newest").containsAll(
                newest.subList(Math.max(0, newest.size() - KEEP), newest.size()));
        committed.keySet().retainAll(listed);
    }

    private static void assertEveryCommittedSnapshotIntact(SnapshotStore store, Map<String, byte[]> committed,
                                                           String context) throws IOException {
        List<String> listed = new ArrayList<>(store.list().stream().map(SnapshotFile::id).toList());
        assertThat(listed).as(context).containsExactlyInAnyOrderElementsOf(committed.keySet());
        for (Map.Entry<String, byte[]> entry : committed.entrySet()) {
            assertThat(PayloadSnapshots.payloadOf(store.find(entry.getKey()).orElseThrow().path()))
                    .as("snapshot " + entry.getKey() + " " + context).isEqualTo(entry.getValue());
        }
    }

    private static void assertNoTempFiles(Path dir, String context) throws IOException {
        assertThat(namesIn(dir)).as("temp files, " + context).noneMatch(name -> name.endsWith(".tmp"));
    }

    private static List<String> namesIn(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
