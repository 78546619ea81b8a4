package dev.stasis.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The snapshot directory on a real 1 MiB tmpfs, mounted in a mount namespace of the program's own
 * ({@code unshare -m}, so nothing outlives it): a checkpoint on the full disk fails with the
 * system's own words through the CLI, the MBean and the log, leaves the previous snapshot as it
 * was and no temp file; once space is freed the next checkpoint succeeds, and a relaunch from it
 * continues the uninterrupted output. Needs root (CAP_SYS_ADMIN) for the mount, as CI has; the
 * same guarantees are tested without privileges with the fault layer's full disk
 * ({@code CommitFailureTest}, {@code CheckpointUnderFaultsTest}).
 */
class DiskFullIT {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final long TMPFS_BYTES = 1 << 20;
    private static final String NO_SPACE = "No space left on device";

    @TempDir
    Path work;

    @Test
    void a_checkpoint_on_a_full_disk_fails_cleanly_and_the_next_one_succeeds_once_there_is_room() throws Exception {
        Path disk = Files.createDirectory(work.resolve("disk"));
        assumeTrue(canMountTmpfs(), "unshare -m and mount -t tmpfs are not permitted here (they need root)");
        Path snapshots = disk.resolve("snapshots");
        JvmCommand command = Samples.job(snapshots);
        List<String> reference = UninterruptedRuns.stdoutOf(command);
        List<String> argv = new ArrayList<>(List.of("unshare", "-m", "sh", "-c",
                "mount -t tmpfs -o size=" + TMPFS_BYTES + ",mode=0700 tmpfs \"$0\" && exec \"$@\"", disk.toString()));
        argv.addAll(command.toArgv());

        Path copied = work.resolve("copied");
        String later;
        try (ForkedJvm jvm = ForkedJvm.start(argv, work, "job-on-tmpfs")) {
            jvm.awaitLine(SampleOutput::isProgress, "a progress line", START_TIMEOUT);
            // The program's view of the directory: inside its mount namespace, on the tmpfs.
            Path seen = Path.of("/proc/" + jvm.pid() + "/root").resolve(disk.toString().substring(1));
            requireSmallTmpfs(seen, jvm);
            String first = AgentCli.checkpointOrFail(jvm, work);
            Path firstFile = seen.resolve("snapshots/snapshot-" + first + ".stasis");
            byte[] firstBytes = Files.readAllBytes(firstFile);

            Path filler = seen.resolve("filler");
            fillUp(filler);
            AgentCli.Result full = AgentCli.checkpoint(jvm, work);

            assertThat(full.exitCode()).as(full.describe()).isEqualTo(1);
            assertThat(full.stderr()).as(full.describe())
                    .startsWith("stasis: checkpoint of " + jvm.pid() + " failed: could not write snapshot ")
                    .contains(NO_SPACE, "the program runs on and the previous snapshots are intact");
            assertThat((String) AgentJmx.attribute(jvm, "LastError")).contains(NO_SPACE);
            assertThat(jvm.stderr().lines().filter(line -> line.startsWith("stasis: checkpoint failed: ")).toList())
                    .as(jvm.describe()).singleElement().asString().contains(NO_SPACE);
            assertThat(namesIn(seen.resolve("snapshots"))).as("after the failed checkpoint")
                    .containsExactly("snapshot-" + first + ".stasis");
            assertThat(Files.readAllBytes(firstFile)).as("the previous snapshot").isEqualTo(firstBytes);
            assertThat(jvm.isAlive()).as("the program runs on\n" + jvm.describe()).isTrue();

            Files.delete(filler);
            later = AgentCli.checkpointOrFail(jvm, work);
            assertThat(AgentJmx.attribute(jvm, "LastError")).isNull();
            copy(seen.resolve("snapshots"), copied);
            jvm.killHard();
            assertThat(later).isGreaterThan(first);
        }

        // The tmpfs went with the program's namespace; its snapshots live on in the copy. A few lines of
        // the resumed run show the snapshot is whole (KillAndResumeIT runs resumes to their end).
        try (ForkedJvm resumed = ForkedJvm.start(Samples.job(copied), work, "resumed")) {
            resumed.awaitLine(line -> SampleOutput.isProgress(line) && resumed.stdoutLines().size() >= 3,
                    "three progress lines", START_TIMEOUT);
            resumed.killHard();
            assertThat(resumed.stderr()).as(resumed.describe()).contains("stasis: resumed from snapshot " + later + " ");
            KillAndResumeIT.assertContinuesReference(resumed.stdoutLines(), reference, resumed.describe());
        }
    }

    /** Tries the same mount in a throw-away namespace. */
    private boolean canMountTmpfs() throws IOException, InterruptedException {
        Path probe = Files.createDirectory(work.resolve("probe"));
        Process process = new ProcessBuilder("unshare", "-m", "sh", "-c",
                "mount -t tmpfs -o size=64k tmpfs \"$0\" && test \"$(stat -f -c %T \"$0\")\" = tmpfs", probe.toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("probe.out").toFile()).start();
        return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
    }

    /**
     * Never fill anything but the small tmpfs: a wrong path here would fill the machine's disk.
     * (Its size, from statfs, is the test: Java names the file system type from this process's
     * mount table, which does not have the program's mount.)
     */
    private static void requireSmallTmpfs(Path dir, ForkedJvm jvm) throws IOException {
        long total = Files.getFileStore(dir).getTotalSpace();
        if (total <= 0 || total > 2 * TMPFS_BYTES) {
            fail("%s is not the program's 1 MiB tmpfs (%d bytes)%n%s", dir, total, jvm.describe());
        }
    }

    /** Writes until the tmpfs refuses, and never more than it can hold. */
    private static void fillUp(Path filler) throws IOException {
        byte[] chunk = new byte[4096];
        long written = 0;
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (written <= 2 * TMPFS_BYTES) {
                out.write(chunk);
                out.flush();
                written += chunk.length;
            }
        } catch (IOException e) {
            assertThat(e).hasMessageContaining(NO_SPACE);
            return;
        }
        fail("wrote %d bytes to %s without filling it", written, filler);
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectory(to);
        for (String name : namesIn(from)) {
            Files.copy(from.resolve(name), to.resolve(name));
        }
    }

    private static List<String> namesIn(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
