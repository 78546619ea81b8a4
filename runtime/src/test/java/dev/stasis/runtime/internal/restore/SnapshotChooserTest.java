package dev.stasis.runtime.internal.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stasis.runtime.RestoreException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SnapshotChooserTest {
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
    }

    @Test
    void auto_skips_an_unreadable_snapshot_with_a_warning_naming_the_file() throws RestoreException {
        source.addUnreadable("000003");

        assertThat(chosenId("auto")).contains("000002");
        assertThat(warnings.toString(StandardCharsets.UTF_8)).isEqualTo("stasis: skipping unreadable snapshot "
                + FakeSnapshotSource.DIRECTORY.resolve("000003.snap") + ": bad checksum at offset 512" + System.lineSeparator());
    }

    @Test
    void auto_does_not_resume_a_finished_run() throws RestoreException {
        source.finish("run-b");
        assertThat(chosenId("auto")).contains("000001");

        source.finish("run-a");
        assertThat(chosenId("auto")).isEmpty();
    }

    @Test
    void latest_takes_the_newest_readable_snapshot_even_of_a_finished_run() throws RestoreException {
        source.finish("run-b").addUnreadable("000003");

        assertThat(chosenId("latest")).contains("000002");
    }

    @Test
    void never_starts_fresh() throws RestoreException {
        assertThat(chosenId("never")).isEmpty();
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
    void an_unreadable_snapshot_asked_for_by_id_is_refused_naming_the_file() {
        source.addUnreadable("000003");

        assertThatThrownBy(() -> chooser.choose("000003"))
                .isInstanceOf(RestoreException.class)
                .hasMessageStartingWith("snapshot 000003 cannot be read (" + FakeSnapshotSource.DIRECTORY.resolve("000003.snap")
                        + "): bad checksum at offset 512");
    }

    private Optional<String> chosenId(String mode) throws RestoreException {
        return chooser.choose(mode).map(chosen -> chosen.manifest().snapshotId());
    }
}
