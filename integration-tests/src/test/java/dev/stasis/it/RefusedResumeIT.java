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

/** A snapshot that no longer fits (changed classes) or is damaged is never resumed silently. */
class RefusedResumeIT {

    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final int REFUSED = 2;

    @TempDir
    Path work;

    @Test
    void refuses_to_resume_when_a_class_changed_and_names_it() throws IOException {
        Path app = Files.createDirectories(work.resolve("app"));
        Path jar = Files.copy(TestEnvironment.samplesJar(), app.resolve("stasis-samples.jar"));
        JvmCommand command = Samples.job(work.resolve("snapshots")).withClassPath(jar.toString());
        try (ForkedJvm first = ForkedJvm.start(command, work, "first")) {
            first.awaitLine(SampleOutput::isProgress, "a progress line", START_TIMEOUT);
            AgentCli.checkpointOrFail(first, work);
            first.killHard();
        }
        // The same jar, the same command; only one constant of one class differs.
        ClassFilePatch.patchJar(jar, "dev/stasis/samples/job/Progress.class", "checksum=", "CHECKSUM=");

        try (ForkedJvm relaunched = ForkedJvm.run(command, work, "relaunched", RUN_TIMEOUT)) {
            assertThat(relaunched.exitCode()).as(relaunched.describe()).isEqualTo(REFUSED);
            assertThat(relaunched.stderr()).as(relaunched.describe())
                    .containsPattern("dev[./]stasis[./]samples[./]job[./]Progress\\b")
                    .doesNotContain("resumed from snapshot");
            assertThat(relaunched.stdoutLines()).as("the program must not run on a refused resume").isEmpty();
        }
    }

    @Test
    void never_resumes_a_corrupt_snapshot_and_names_its_file() throws IOException {
        JvmCommand command = Samples.job(work.resolve("snapshots"));
        String expected = UninterruptedRuns.resultOf(command);
        String older;
        String newest;
        try (ForkedJvm first = ForkedJvm.start(command, work, "first")) {
            first.awaitLine(SampleOutput::isProgress, "a progress line", START_TIMEOUT);
            older = AgentCli.checkpointOrFail(first, work);
            newest = AgentCli.checkpointOrFail(first, work);
            first.killHard();
        }
        Path damaged = snapshotFile(work.resolve("snapshots"), newest);
        flipBytesInTheMiddle(damaged);

        try (ForkedJvm relaunched = ForkedJvm.run(command, work, "relaunched", RUN_TIMEOUT)) {
            String context = "snapshot " + newest + " damaged in " + damaged + "\n" + relaunched.describe();
            assertThat(relaunched.stderr()).as(context)
                    .contains(damaged.getFileName().toString())
                    .doesNotContain("resumed from snapshot " + newest);
            if (relaunched.exitCode() == 0) {
                // The agent fell back to the older, intact snapshot.
                assertThat(relaunched.stderr()).as(context).contains("stasis: resumed from snapshot " + older);
                assertThat(SampleOutput.resultOf(relaunched)).as(context).isEqualTo(expected);
            } else {
                // The agent refused; the user picks the older snapshot explicitly and gets the right result.
                assertThat(relaunched.exitCode()).as(context).isEqualTo(REFUSED);
                assertThat(relaunched.stdoutLines()).as(context).isEmpty();
                JvmCommand explicit = command.withAgent("dir=" + work.resolve("snapshots") + ",restore=" + older);
                try (ForkedJvm fromOlder = ForkedJvm.run(explicit, work, "from-older", RUN_TIMEOUT)) {
                    assertThat(fromOlder.exitCode()).as(fromOlder.describe()).isZero();
                    assertThat(fromOlder.stderr()).contains("stasis: resumed from snapshot " + older);
                    assertThat(SampleOutput.resultOf(fromOlder)).as(fromOlder.describe()).isEqualTo(expected);
                }
            }
        }
    }

    private static Path snapshotFile(Path snapshots, String id) throws IOException {
        try (Stream<Path> files = Files.list(snapshots)) {
            List<Path> matching = files.filter(Files::isRegularFile)
                    .filter(file -> file.getFileName().toString().contains(id)).toList();
            assertThat(matching).as("the file of snapshot %s in %s", id, snapshots).hasSize(1);
            return matching.get(0);
        }
    }

    /** Inverts 16 bytes in the middle of the file: inside the data, past header and manifest. */
    private static void flipBytesInTheMiddle(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int middle = bytes.length / 2;
        for (int i = middle; i < Math.min(bytes.length, middle + 16); i++) {
            bytes[i] = (byte) ~bytes[i];
        }
        Files.write(file, bytes);
    }
}
