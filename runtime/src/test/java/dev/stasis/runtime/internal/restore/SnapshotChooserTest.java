package dev.stasis.runtime.internal.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stasis.runtime.RestoreException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The modes, and what each does with a snapshot that fails its checks (over a fake store; real files: DamagedSnapshotPolicyTest). */
class SnapshotChooserTest {
    private static final String NL = System.lineSeparator();

    private final ByteArrayOutputStream warnings = new ByteArrayOutputStream();
    private final FakeSnapshotSource source = new FakeSnapshotSource()
            .add(FakeSnapshotSource.manifest("000001", "run-a", Map.of(), List.of()), null)
            .add(FakeSnapshotSource.manifest("000002", "run-b", Map.of(), List.of()), null);
    private final SnapshotChooser chooser = new SnapshotChooser(source,
            new PrintStream(warnings, true, StandardCharsets.UTF_8));

    @Test
    void auto_takes_the_newest_snapshot_of_an_unfinished_run() throws RestoreException {
        assertThat(chosenId("auto")).contains("000002");
        assertThat(chosenId("")).as("blank means auto").contains("000002");
        assertThat(warnings.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void auto_sets_a_damaged_snapshot_aside_naming_file_and_offset_and_takes_the_next_older_one() throws RestoreException {
        source.addDamaged("000003");

        assertThat(chosenId("auto")).contains("000002");
        assertThat(warnings.toString(StandardCharsets.UTF_8)).isEqualTo("stasis: snapshot 000003 is damaged ("
                + FakeSnapshotSource.path("000003") + " at byte offset 512: CRC32C mismatch in data block 0); set aside as "
                + FakeSnapshotSource.path("000003") + ".broken, trying the next older one" + NL);
        assertThat(SnapshotChooser.ids(source.setAside())).containsExactly("000003");
        assertThat(SnapshotChooser.ids(source.list())).containsExactly("000002", "000001");
    }

    @Test
    void auto_starts_fresh_saying_so_when_every_snapshot_is_damaged() throws RestoreException {
        FakeSnapshotSource damaged = new FakeSnapshotSource().addDamaged("000001").addDamaged("000002");

        Optional<SnapshotChooser.Chosen> chosen = new SnapshotChooser(damaged,
                new PrintStream(warnings, true, StandardCharsets.UTF_8)).choose("auto");

        assertThat(chosen).isEmpty();
        assertThat(SnapshotChooser.ids(damaged.setAside())).containsExactly("000002", "000001");
        List<String> lines = warnings.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("stasis: snapshot 000002 is damaged (");
        assertThat(lines.get(1)).startsWith("stasis: snapshot 000001 is damaged (");
        assertThat(lines.get(2)).isEqualTo("stasis: no intact snapshot left to resume in " + FakeSnapshotSource.DIRECTORY
                + " (2 damaged set aside); the program starts from the beginning");
    }

    @Test
    void a_damaged_snapshot_that_cannot_be_renamed_is_still_passed_over_saying_so() throws RestoreException {
        source.addDamaged("000003").failingToSetAside(new IOException("Read-only file system"));

        assertThat(chosenId("auto")).as("damaged is damaged, renamed or not").contains("000002");
        assertThat(warnings.toString(StandardCharsets.UTF_8)).isEqualTo("stasis: snapshot 000003 is damaged ("
                + FakeSnapshotSource.path("000003") + " at byte offset 512: CRC32C mismatch in data block 0); it could not be"
                + " set aside (Read-only file system), trying the next older one" + NL);
    }

    @Test
    void a_newest_snapshot_that_cannot_be_read_stops_the_start_and_stays_where_it_is() {
        source.addFailing("000003", new AccessDeniedException(FakeSnapshotSource.path("000003").toString()));

        assertThatThrownBy(() -> chooser.choose("auto"))
                .isInstanceOf(RestoreException.class)
                .hasMessage("snapshot 000003 cannot be read (" + FakeSnapshotSource.path("000003") + ": "
                        + FakeSnapshotSource.path("000003") + "). It was left as it is, and Stasis neither resumed an older"
                        + " snapshot nor started fresh instead: either would silently lose the work since this one. Fix the"
                        + " cause (the file's permissions, the disk) and start again. Or start with restore=<id> to resume an"
                        + " older snapshot (000002, 000001), or restore=never to start from the beginning.");
        assertThat(source.setAside()).isEmpty();
        assertThat(warnings.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void a_read_that_throws_unexpectedly_refuses_too() {
        FakeSnapshotSource throwing = new FakeSnapshotSource()
                .addFailing("000001", new IOException("unused")).throwingOnRead(new IllegalStateException("codec bug"));

        assertThatThrownBy(() -> new SnapshotChooser(throwing, System.err).choose("latest"))
                .isInstanceOf(RestoreException.class)
                .hasMessageStartingWith("snapshot 000001 cannot be read (" + FakeSnapshotSource.path("000001")
                        + ": java.lang.IllegalStateException: codec bug). It was left as it is");
        assertThat(throwing.setAside()).isEmpty();
    }

    @Test
    void a_damaged_snapshot_before_an_unreadable_one_is_still_set_aside() {
        source.addFailing("000003", new IOException("Input/output error")).addDamaged("000004");

        assertThatThrownBy(() -> chooser.choose("latest"))
                .isInstanceOf(RestoreException.class)
                .hasMessageStartingWith("snapshot 000003 cannot be read (" + FakeSnapshotSource.path("000003")
                        + ": Input/output error)");
        assertThat(SnapshotChooser.ids(source.setAside())).containsExactly("000004");
    }

    @Test
    void auto_does_not_resume_a_finished_run() throws RestoreException {
        source.finish("run-b");
        assertThat(chosenId("auto")).contains("000001");

        source.finish("run-a");
        assertThat(chosenId("auto")).isEmpty();
        assertThat(warnings.toString(StandardCharsets.UTF_8)).as("nothing was set aside, nothing to say").isEmpty();
    }

    @Test
    void latest_takes_the_newest_intact_snapshot_even_of_a_finished_run() throws RestoreException {
        source.finish("run-b").addDamaged("000003");

        assertThat(chosenId("latest")).contains("000002");
        assertThat(SnapshotChooser.ids(source.setAside())).containsExactly("000003");
    }

    @Test
    void never_starts_fresh() throws RestoreException {
        source.addDamaged("000003");

        assertThat(chosenId("never")).isEmpty();
        assertThat(source.setAside()).as("never does not even look").isEmpty();
    }

    @Test
    void an_id_picks_that_snapshot_even_of_a_finished_run() throws RestoreException {
        source.finish("run-a");
        assertThat(chosenId("000001")).contains("000001");
    }

    @Test
    void an_unknown_id_is_refused_with_the_available_ids() {
        assertThatThrownBy(() -> chooser.choose("000009"))
                .isInstanceOf(RestoreException.class)
                .hasMessage("snapshot 000009 is not in " + FakeSnapshotSource.DIRECTORY + "; available: 000002, 000001. "
                        + "Use restore=auto, restore=never or one of those ids.");
    }

    @Test
    void an_id_set_aside_earlier_is_refused_saying_where_it_went() throws RestoreException {
        source.addDamaged("000003");
        chooser.choose("auto");

        assertThatThrownBy(() -> chooser.choose("000003"))
                .isInstanceOf(RestoreException.class)
                .hasMessage("snapshot 000003 is not in " + FakeSnapshotSource.DIRECTORY + " (it was set aside as damaged: "
                        + FakeSnapshotSource.path("000003") + ".broken); available: 000002, 000001. "
                        + "Use restore=auto, restore=never or one of those ids.");
    }

    @Test
    void a_damaged_snapshot_asked_for_by_id_is_refused_naming_file_and_offset_and_left_where_it_is() {
        source.addDamaged("000003");

        assertThatThrownBy(() -> chooser.choose("000003"))
                .isInstanceOf(RestoreException.class)
                .hasMessage("snapshot 000003 is damaged (" + FakeSnapshotSource.path("000003") + " at byte offset 512:"
                        + " CRC32C mismatch in data block 0). It was left as it is. A damaged snapshot cannot be resumed."
                        + " Or start with restore=<id> to resume another snapshot (000002, 000001), restore=auto to resume"
                        + " the newest usable one (damaged ones are set aside), or restore=never to start from the beginning.");
        assertThat(source.setAside()).isEmpty();
    }

    private Optional<String> chosenId(String mode) throws RestoreException {
        return chooser.choose(mode).map(chosen -> chosen.manifest().snapshotId());
    }
}
