package dev.stasis.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint of a program that keeps a file it deleted open in a static field cannot be taken
 * (no relaunch could open that file again): the cause,
 * with the path from the static field to the stream, reaches the operator through all three
 * channels (the CLI's answer, the MBean's {@code LastError}, one line on the program's stderr), and
 * the program finishes with the result of a run that was never asked for a checkpoint.
 */
class FailedCheckpointReportIT {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);
    private static final String CAUSE = "cannot snapshot java.io.FileInputStream at static "
            + Samples.OPEN_FILE_CACHE + ".OPEN -> java.util.HashMap[input.txt] (the file ";

    @TempDir
    Path work;

    @Test
    void an_open_file_in_a_static_is_reported_with_its_path_by_cli_jmx_and_log_and_the_program_finishes() throws IOException {
        Path input = Files.writeString(work.resolve("input.txt"), "the quick brown fox jumps over the lazy dog\n".repeat(50));
        Path go = work.resolve("go");
        Path snapshots = work.resolve("snapshots");
        JvmCommand command = JvmCommand.of(Samples.OPEN_FILE_CACHE, input.toString(), go.toString())
                .withAgent("dir=" + snapshots);
        Files.writeString(go, "");
        String expected = UninterruptedRuns.resultOf(command);
        Files.delete(go);

        try (ForkedJvm jvm = ForkedJvm.start(command, work, "open-file-cache")) {
            jvm.awaitLine(line -> line.startsWith("waiting for "), "that it waits", START_TIMEOUT);

            AgentCli.Result cli = AgentCli.checkpoint(jvm, work);

            assertThat(cli.exitCode()).as(cli.describe()).isEqualTo(1);
            assertThat(cli.stdout()).as(cli.describe()).isEmpty();
            assertThat(cli.stderr()).as(cli.describe())
                    .startsWith("stasis: checkpoint of " + jvm.pid() + " failed: " + CAUSE)
                    .contains("the program runs on and the previous snapshots are intact");
            assertThat((String) AgentJmx.attribute(jvm, "LastError")).startsWith(CAUSE);
            assertThat(jvm.stderr().lines().filter(line -> line.startsWith("stasis: ")).toList())
                    .as("the program's own log\n" + jvm.describe())
                    .singleElement().asString().startsWith("stasis: checkpoint failed: " + CAUSE);
            assertThat(jvm.isAlive()).as("the program runs on\n" + jvm.describe()).isTrue();

            Files.writeString(go, "");
            assertThat(jvm.awaitExit(RUN_TIMEOUT)).as(jvm.describe()).isZero();
            assertThat(SampleOutput.resultOf(jvm)).as(jvm.describe()).isEqualTo(expected);
        }
        assertThat(namesIn(snapshots)).as("nothing written, not even a temp file").noneMatch(name -> name.contains("snapshot-"));
    }

    private static List<String> namesIn(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).toList();
        }
    }
}
