package dev.stasis.runtime.internal.restore;

import dev.stasis.runtime.internal.snapshot.CapturedThreads;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stasis.rt.Frame;
import dev.stasis.runtime.RestoreException;
import dev.stasis.runtime.internal.snapshot.Manifest;
import dev.stasis.runtime.internal.snapshot.ReadOptions;
import dev.stasis.runtime.internal.snapshot.SnapshotCodec;
import dev.stasis.runtime.internal.snapshot.SnapshotContent;
import dev.stasis.runtime.internal.snapshot.SnapshotKey;
import dev.stasis.runtime.internal.snapshot.ThreadCapture;
import dev.stasis.runtime.internal.snapshot.WriteOptions;
import dev.stasis.runtime.internal.store.SnapshotFile;
import dev.stasis.runtime.internal.store.SnapshotStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The restore policy on real snapshot files in a real store: damage is set aside and the next older
 * snapshot used; any other failure (key, format) stops the start and leaves every file as it was.
 */
class DamagedSnapshotPolicyTest {
    private static final SnapshotKey KEY = SnapshotKey.of("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII),
            "/keys/job.key");
    private static final SnapshotKey OTHER_KEY = SnapshotKey.of("fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII),
            "/keys/other.key");
    /** Where the version field of the header is (docs/FORMAT.md). */
    private static final int VERSION_OFFSET = 8;

    @TempDir
    Path dir;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private SnapshotStore store() throws IOException {
        return SnapshotStore.open(dir);
    }

    private static SnapshotFile commit(SnapshotStore store, String runId, WriteOptions options) throws IOException {
        String id = store.newSnapshotId();
        Manifest manifest = new Manifest(Manifest.FORMAT_VERSION, id, runId, 1_764_140_000_000L, "dev", "17", "a.Main",
                List.of(), Map.of(), List.of(), List.of("main:1"));
        Frame frame = new Frame("a/Main.main([Ljava/lang/String;)V", 1, 0, 0, 0, 0, 1);
        frame.refs[0] = "state of snapshot " + id + " " + "x".repeat(2000);
        SnapshotContent content = new SnapshotContent(List.of(), List.of(CapturedThreads.main(List.of(frame))));
        return store.commit(id, out -> SnapshotCodec.write(out, manifest, content, options));
    }

    private static SnapshotFile commit(SnapshotStore store, String runId) throws IOException {
        return commit(store, runId, WriteOptions.defaults());
    }

    private Optional<String> choose(SnapshotStore store, ReadOptions options, String mode) throws RestoreException {
        return new SnapshotChooser(SnapshotSource.of(store, options), new PrintStream(err, true, StandardCharsets.UTF_8))
                .choose(mode).map(chosen -> chosen.file().id());
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** Inverts one byte in the middle of the file, in the data; returns its offset. */
    private static long flipMiddleByte(SnapshotFile file) throws IOException {
        byte[] bytes = Files.readAllBytes(file.path());
        int middle = bytes.length / 2;
        bytes[middle] = (byte) ~bytes[middle];
        Files.write(file.path(), bytes);
        return middle;
    }

    /** Every file name with a digest of its bytes: equal before and after means nothing was renamed, deleted or written. */
    private Map<String, String> directoryState() throws IOException {
        Map<String, String> state = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                state.put(file.getFileName().toString(), sha256(Files.readAllBytes(file)));
            }
        }
        return state;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void a_damaged_newest_snapshot_is_set_aside_with_file_and_offset_and_the_older_one_chosen() throws IOException, RestoreException {
        SnapshotStore store = store();
        SnapshotFile older = commit(store, "run-1");
        SnapshotFile newest = commit(store, "run-1");
        long flipped = flipMiddleByte(newest);
        byte[] damagedBytes = Files.readAllBytes(newest.path());

        assertThat(choose(store, ReadOptions.defaults(), "auto")).contains(older.id());

        Path broken = dir.resolve("snapshot-" + newest.id() + ".stasis.broken");
        Matcher line = Pattern.compile("stasis: snapshot " + newest.id() + " is damaged \\(" + Pattern.quote(newest.path().toString())
                + " at byte offset (\\d+): CRC32C mismatch[^\\n]*\\); set aside as " + Pattern.quote(broken.toString())
                + ", trying the next older one\\R").matcher(stderr());
        assertThat(line.matches()).as("one line naming file and offset, was:%n%s", stderr()).isTrue();
        assertThat(Long.parseLong(line.group(1))).as("the damaged block starts at or before the flipped byte")
                .isBetween(20L, flipped);
        assertThat(Files.exists(newest.path())).isFalse();
        assertThat(Files.readAllBytes(broken)).as("set aside as it was, for inspection").isEqualTo(damagedBytes);
        assertThat(store.list()).containsExactly(older);
        assertThat(store.listBroken()).extracting(SnapshotFile::id).containsExactly(newest.id());
    }

    @Test
    void a_cut_off_snapshot_is_damaged_too() throws IOException, RestoreException {
        SnapshotStore store = store();
        SnapshotFile older = commit(store, "run-1");
        SnapshotFile newest = commit(store, "run-1");
        byte[] bytes = Files.readAllBytes(newest.path());
        Files.write(newest.path(), Arrays.copyOf(bytes, bytes.length - 9));

        assertThat(choose(store, ReadOptions.defaults(), "latest")).contains(older.id());

        assertThat(stderr()).startsWith("stasis: snapshot " + newest.id() + " is damaged (" + newest.path() + " at byte offset ")
                .endsWith("; set aside as " + newest.path() + ".broken, trying the next older one" + System.lineSeparator());
        assertThat(store.listBroken()).extracting(SnapshotFile::id).containsExactly(newest.id());
    }

    @Test
    void when_every_snapshot_is_damaged_the_run_starts_fresh_saying_so() throws IOException, RestoreException {
        SnapshotStore store = store();
        SnapshotFile first = commit(store, "run-1");
        SnapshotFile second = commit(store, "run-1");
        flipMiddleByte(first);
        flipMiddleByte(second);

        assertThat(choose(store, ReadOptions.defaults(), "auto")).isEmpty();

        assertThat(stderr().lines().toList()).hasSize(3).last().isEqualTo("stasis: no intact snapshot left to resume in "
                + dir.toAbsolutePath() + " (2 damaged set aside); the program starts from the beginning");
        assertThat(store.list()).isEmpty();
        assertThat(store.listBroken()).extracting(SnapshotFile::id).containsExactly(second.id(), first.id());
    }

    @Test
    void a_snapshot_signed_with_another_key_stops_the_start_and_nothing_is_renamed() throws IOException, RestoreException {
        SnapshotStore store = store();
        SnapshotFile older = commit(store, "run-1", WriteOptions.defaults().withKey(KEY));
        SnapshotFile newest = commit(store, "run-1", WriteOptions.defaults().withKey(KEY));
        Map<String, String> before = directoryState();

        assertThatThrownBy(() -> choose(store, ReadOptions.defaults().withKey(OTHER_KEY), "auto"))
                .isInstanceOf(RestoreException.class)
                .hasMessageStartingWith("snapshot " + newest.id() + " failed its authenticity check (" + newest.path()
                        + " at byte offset ")
                .hasMessageContaining("HMAC-SHA256 mismatch: it was not written with the key in /keys/other.key")
                .hasMessageContaining("It was left as it is, and Stasis neither resumed an older snapshot nor started fresh")
                .hasMessageContaining("start with that key (key=PATH)")
                .hasMessageEndingWith("Or start with restore=<id> to resume an older snapshot (" + older.id()
                        + "), or restore=never to start from the beginning.");

        assertThat(directoryState()).isEqualTo(before);
        assertThat(stderr()).isEmpty();
        assertThat(choose(store, ReadOptions.defaults().withKey(KEY), "auto")).as("the right key still resumes it")
                .contains(newest.id());
    }

    @Test
    void a_signed_snapshot_without_a_key_configured_stops_the_start_and_nothing_is_renamed() throws IOException {
        SnapshotStore store = store();
        SnapshotFile newest = commit(store, "run-1", WriteOptions.defaults().withKey(KEY));
        Map<String, String> before = directoryState();

        assertThatThrownBy(() -> choose(store, ReadOptions.defaults(), "latest"))
                .isInstanceOf(RestoreException.class)
                .hasMessageStartingWith("snapshot " + newest.id() + " failed its authenticity check")
                .hasMessageContaining("no key is configured to check it: give the key file it was written with")
                .hasMessageEndingWith("Or start with restore=never to start from the beginning.");
        assertThat(directoryState()).isEqualTo(before);
    }

    @Test
    void an_unsigned_snapshot_with_a_key_configured_stops_the_start_and_nothing_is_renamed() throws IOException {
        SnapshotStore store = store();
        commit(store, "run-1");
        SnapshotFile newest = commit(store, "run-1");
        Map<String, String> before = directoryState();

        assertThatThrownBy(() -> choose(store, ReadOptions.defaults().withKey(KEY), "auto"))
                .isInstanceOf(RestoreException.class)
                .hasMessageStartingWith("snapshot " + newest.id() + " failed its authenticity check")
                .hasMessageContaining("it is not signed, and a key is configured (/keys/job.key)");
        assertThat(directoryState()).isEqualTo(before);
    }

    @Test
    void auto_passes_over_an_unverifiable_snapshot_of_a_finished_run_as_it_does_a_verified_one() throws IOException, RestoreException {
        SnapshotStore store = store();
        SnapshotFile signed = commit(store, "run-1", WriteOptions.defaults().withKey(KEY));
        commit(store, "run-2");
        store.markFinished("run-2");
        Map<String, String> before = directoryState();

        assertThat(choose(store, ReadOptions.defaults().withKey(KEY), "auto"))
                .as("key= added after a run that ended in order: its unsigned snapshot would not be resumed anyway")
                .contains(signed.id());
        assertThatThrownBy(() -> choose(store, ReadOptions.defaults().withKey(KEY), "latest"))
                .as("latest resumes finished runs too, so it must not pass over what it cannot check")
                .isInstanceOf(RestoreException.class);
        assertThat(directoryState()).isEqualTo(before);
        assertThat(stderr()).isEmpty();
    }

    @Test
    void a_snapshot_of_a_newer_format_stops_the_start_and_nothing_is_renamed() throws IOException {
        SnapshotStore store = store();
        SnapshotFile older = commit(store, "run-1");
        SnapshotFile newest = commit(store, "run-1");
        byte[] bytes = Files.readAllBytes(newest.path());
        ByteBuffer.wrap(bytes).putInt(VERSION_OFFSET, Manifest.FORMAT_VERSION + 1);
        Files.write(newest.path(), bytes);
        Map<String, String> before = directoryState();

        assertThatThrownBy(() -> choose(store, ReadOptions.defaults(), "auto"))
                .isInstanceOf(RestoreException.class)
                .hasMessage("snapshot " + newest.id() + " is in a format this agent does not read (" + newest.path()
                        + " at byte offset 8: written by a newer Stasis (format " + (Manifest.FORMAT_VERSION + 1)
                        + "), this agent reads up to " + Manifest.FORMAT_VERSION + ": use a newer agent). It was left as it"
                        + " is, and Stasis neither resumed an older snapshot nor started fresh instead: either would silently"
                        + " lose the work since this one. Resume it with the agent that wrote it. Or start with restore=<id>"
                        + " to resume an older snapshot (" + older.id() + "), or restore=never to start from the beginning.");
        assertThat(directoryState()).isEqualTo(before);
    }

    @Test
    void a_damaged_snapshot_named_by_id_is_refused_and_left_where_it_is() throws IOException {
        SnapshotStore store = store();
        SnapshotFile older = commit(store, "run-1");
        SnapshotFile named = commit(store, "run-1");
        flipMiddleByte(named);
        Map<String, String> before = directoryState();

        assertThatThrownBy(() -> choose(store, ReadOptions.defaults(), named.id()))
                .isInstanceOf(RestoreException.class)
                .hasMessageStartingWith("snapshot " + named.id() + " is damaged (" + named.path() + " at byte offset ")
                .hasMessageContaining("It was left as it is. A damaged snapshot cannot be resumed.")
                .hasMessageEndingWith("Or start with restore=<id> to resume another snapshot (" + older.id() + "), restore=auto"
                        + " to resume the newest usable one (damaged ones are set aside), or restore=never to start from the"
                        + " beginning.");
        assertThat(directoryState()).isEqualTo(before);
    }
}
