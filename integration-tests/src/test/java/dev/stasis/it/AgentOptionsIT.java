package dev.stasis.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
    void reports_a_snapshot_directory_that_cannot_be_created_and_names_it() throws IOException {
        // Tests run as root, so permissions cannot make a directory unwritable; a path under a file can never exist.
        Path blocker = Files.writeString(work.resolve("blocker"), "a regular file, not a directory\n");
        Path impossible = blocker.resolve("snapshots");
        JvmCommand command = shortJob().withAgent("dir=" + impossible);
        try (ForkedJvm jvm = ForkedJvm.run(command, work, "impossible-dir", RUN_TIMEOUT)) {
            assertThat(jvm.stderr()).as(jvm.describe()).contains("stasis:").contains(impossible.toString());
            if (jvm.exitCode() == 0) {
                // The agent stood aside: the program ran, unharmed, without checkpoints.
                assertThat(SampleOutput.resultOf(jvm)).isEqualTo(UninterruptedRuns.resultOf(command));
            } else {
                assertThat(jvm.exitCode()).as("a refusal uses the agent's refusal code\n" + jvm.describe()).isEqualTo(REFUSED);
                assertThat(jvm.stdoutLines()).isEmpty();
            }
        }
    }
}
