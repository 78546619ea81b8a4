package dev.stasis.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user sees when the {@code -javaagent} options are wrong. */
class AgentOptionsIT {

    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);
    private static final int REFUSED = 2;

    @TempDir
    Path work;

    private static JvmCommand shortJob() {
        return JvmCommand.of(Samples.JOB, "--steps", "200000");
    }

    @Test
    void refuses_an_unknown_option_and_lists_the_valid_ones() {
        JvmCommand command = shortJob().withAgent("dir=" + work.resolve("snapshots") + ",bogus=1");
        try (ForkedJvm jvm = ForkedJvm.run(command, work, "unknown-option", RUN_TIMEOUT)) {
            assertThat(jvm.exitCode()).as(jvm.describe()).isEqualTo(REFUSED);
            assertThat(jvm.stderr()).as(jvm.describe())
                    .contains("bogus", "valid options")
                    .contains("dir", "restore", "interval", "onterm", "timeout", "keep");
            assertThat(jvm.stdoutLines()).as("the program must not start with options the agent refused").isEmpty();
        }
    }

    @Test
    void refuses_to_start_when_the_snapshot_directory_cannot_be_created_and_names_it() throws IOException {
        // Tests run as root, so permissions cannot make a directory unwritable; a path under a file can never exist.
        Path blocker = Files.writeString(work.resolve("blocker"), "a regular file, not a directory\n");
        Path impossible = blocker.resolve("snapshots");
        JvmCommand command = shortJob().withAgent("dir=" + impossible);
        try (ForkedJvm jvm = ForkedJvm.run(command, work, "impossible-dir", RUN_TIMEOUT)) {
            // A bad dir= is a bad option value: the program does not start, so a later crash cannot silently cost its progress.
            assertThat(jvm.stderr()).as(jvm.describe()).containsPattern("stasis: .*" + Pattern.quote(impossible.toString()));
            assertThat(jvm.exitCode()).as(jvm.describe()).isEqualTo(REFUSED);
            assertThat(jvm.stdoutLines()).as(jvm.describe()).isEmpty();
        }
    }
}
