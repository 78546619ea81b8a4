package dev.stasis.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A snapshot that no longer fits (changed classes), cannot be trusted (another key) or is damaged
 * is never resumed, and no work is lost silently: damage is set aside and the older snapshot
 * resumed; anything else stops the start and leaves the files alone.
 */
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
    void sets_a_corrupt_newest_snapshot_aside_naming_file_and_offset_and_resumes_the_older_one() throws IOException {
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
        byte[] damagedBytes = Files.readAllBytes(damaged);
        Path broken = damaged.resolveSibling(damaged.getFileName() + ".broken");

        try (ForkedJvm relaunched = ForkedJvm.run(command, work, "relaunched", RUN_TIMEOUT)) {
            String context = "snapshot " + newest + " damaged in " + damaged + "\n" + relaunched.describe();
            assertThat(relaunched.exitCode()).as(context).isZero();
            assertThat(relaunched.stderr()).as("the damaged file is named with an offset, set aside, and the older intact"
                            + " snapshot is used\n" + context)
                    .containsPattern("(?m)^stasis: snapshot " + newest + " is damaged \\(" + Pattern.quote(damaged.toString())
                            + " at byte offset \\d+: .*\\); set aside as " + Pattern.quote(broken.toString())
                            + ", trying the next older one$")
                    .contains("stasis: resumed from snapshot " + older)
                    .doesNotContain("resumed from snapshot " + newest);
            assertThat(SampleOutput.resultOf(relaunched)).as(context).isEqualTo(expected);
        }
        assertThat(damaged).doesNotExist();
        assertThat(Files.readAllBytes(broken)).as("set aside as it was, for inspection").isEqualTo(damagedBytes);
    }

    @Test
    void refuses_a_snapshot_signed_with_another_key_with_exit_2_and_leaves_every_file_as_it_was() throws IOException {
        Path snapshots = work.resolve("snapshots");
        Path rightKey = keyFile("job.key");
        Path wrongKey = keyFile("other.key");
        JvmCommand signing = Samples.job(snapshots).withAgent("dir=" + snapshots + ",key=" + rightKey);
        String expected = UninterruptedRuns.resultOf(signing);
        String id;
        try (ForkedJvm first = ForkedJvm.start(signing, work, "first")) {
            first.awaitLine(SampleOutput::isProgress, "a progress line", START_TIMEOUT);
            id = AgentCli.checkpointOrFail(first, work);
            first.killHard();
        }
        Path snapshot = snapshotFile(snapshots, id);
        Map<String, String> before = contentsOf(snapshots);

        JvmCommand withWrongKey = signing.withAgent("dir=" + snapshots + ",key=" + wrongKey);
        try (ForkedJvm refused = ForkedJvm.run(withWrongKey, work, "wrong-key", RUN_TIMEOUT)) {
            assertThat(refused.exitCode()).as(refused.describe()).isEqualTo(REFUSED);
            assertThat(refused.stderr()).as("which snapshot, why, and what to do\n" + refused.describe())
                    .contains("stasis: snapshot " + id + " failed its authenticity check (" + snapshot + " at byte offset ")
                    .contains("HMAC-SHA256 mismatch: it was not written with the key in " + wrongKey)
                    .contains("start with that key (key=PATH)")
                    .contains("restore=never to start from the beginning")
                    .doesNotContain("resumed from snapshot");
            assertThat(refused.stdoutLines()).as("the program must not run on a refused resume").isEmpty();
        }
        assertThat(contentsOf(snapshots)).as("nothing renamed, deleted or written").isEqualTo(before);

        try (ForkedJvm resumed = ForkedJvm.run(signing, work, "right-key", RUN_TIMEOUT)) {
            assertThat(resumed.exitCode()).as(resumed.describe()).isZero();
            assertThat(resumed.stderr()).as(resumed.describe()).contains("stasis: resumed from snapshot " + id);
            assertThat(SampleOutput.resultOf(resumed)).as(resumed.describe()).isEqualTo(expected);
        }
    }

    /** 32 random bytes, readable by the owner only, as the agent requires of key=. */
    private Path keyFile(String name) throws IOException {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Path file = Files.createFile(work.resolve(name),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        return Files.write(file, key);
    }

    /** Every file name with a digest of its bytes. */
    private static Map<String, String> contentsOf(Path directory) throws IOException {
        Map<String, String> contents = new TreeMap<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.toList()) {
                contents.put(file.getFileName().toString(), sha256(Files.readAllBytes(file)));
            }
        }
        return contents;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
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
