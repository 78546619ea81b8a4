package dev.stasis.runtime.internal.criu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code restore} up to the point where CRIU runs, with a script in CRIU's place that records its arguments. */
class CriuRestoreTest {

    @TempDir
    Path dir;

    private CriuImages images;
    private Path output;
    private Path arguments;

    @BeforeEach
    void setUp() throws IOException {
        images = CriuImages.open(dir.resolve("snapshots"));
        output = dir.resolve("job.out");
        arguments = dir.resolve("criu-arguments");
    }

    /** A committed image of process {@code pid} that had {@link #output} open at {@code size} bytes. */
    private Path image(long pid, long size) throws IOException {
        long id = images.nextId();
        Path temp = Files.createDirectory(images.temporary(id));
        new CriuImages.ImageRecord(pid, "run-a").write(temp);
        Files.writeString(temp.resolve(CriuImages.WRITTEN_FILES), size + "\t" + output + "\n");
        return images.commit(id);
    }

    private CriuRestore restoreWith(String criuBody) throws Exception {
        Path criu = FakeCriu.script(dir, criuBody);
        return new CriuRestore(CriuBinary.locate(criu.toString()), images);
    }

    private static long deadPid() throws Exception {
        Process process = new ProcessBuilder("true").start();
        process.waitFor();
        return process.pid();
    }

    @Test
    void truncates_output_written_after_the_checkpoint_marks_the_image_and_runs_criu_restore() throws Exception {
        Files.writeString(output, "before the checkpoint\nafter it, by the killed run\n");
        long pid = deadPid();
        Path image = image(pid, "before the checkpoint\n".length());

        CriuRestore.Restored restored = restoreWith("echo \"$@\" > '" + arguments + "'").restore(Optional.empty(), false);

        assertThat(restored.imageId()).isEqualTo("criu-1");
        assertThat(restored.pid()).isEqualTo(pid);
        assertThat(restored.log()).isEqualTo(image.resolve("restore.log"));
        assertThat(output).hasContent("before the checkpoint\n");
        assertThat(image.resolve(CriuImages.RESTORED_MARKER)).exists();
        assertThat(Files.readString(arguments).strip()).isEqualTo("restore -D " + image + " -d -o restore.log "
                + String.join(" ", CriuOptions.COMMON));
    }

    @Test
    void refuses_a_file_shorter_than_at_the_checkpoint() throws Exception {
        Files.writeString(output, "short");
        image(deadPid(), 100);

        assertThatThrownBy(() -> restoreWith("exit 0").restore(Optional.empty(), false))
                .isInstanceOf(CriuRestoreException.class)
                .hasMessageContaining(output + " is 5 bytes, shorter than the 100 bytes it had");
        assertThat(images.list().get(0).path().resolve(CriuImages.RESTORED_MARKER)).doesNotExist();
    }

    @Test
    void refuses_while_the_process_of_the_image_still_runs() throws Exception {
        Files.writeString(output, "");
        long running = ProcessHandle.current().pid();
        image(running, 0);

        assertThatThrownBy(() -> restoreWith("exit 0").restore(Optional.empty(), false))
                .isInstanceOf(CriuRestoreException.class)
                .hasMessageContaining("process " + running + ", which image criu-1 holds, is still running")
                .hasMessageContaining("kill it first");
    }

    @Test
    void restores_the_newest_image_unless_one_is_named() throws Exception {
        Files.writeString(output, "");
        long pid = deadPid();
        image(pid, 0);
        image(pid, 0);

        assertThat(restoreWith("exit 0").restore(Optional.empty(), false).imageId()).isEqualTo("criu-2");
        assertThat(restoreWith("exit 0").restore(Optional.of("criu-1"), false).imageId()).isEqualTo("criu-1");
        assertThatThrownBy(() -> restoreWith("exit 0").restore(Optional.of("criu-9"), false))
                .hasMessageContaining("no complete CRIU image criu-9")
                .hasMessageContaining("the images there: criu-2, criu-1");
    }

    @Test
    void refuses_an_image_of_a_run_that_ended_normally_unless_forced() throws Exception {
        Files.writeString(output, "");
        image(deadPid(), 0);
        images.markFinished("run-a");

        assertThatThrownBy(() -> restoreWith("exit 0").restore(Optional.empty(), false))
                .hasMessageContaining("has since ended normally")
                .hasMessageContaining("--force");
        assertThat(restoreWith("exit 0").restore(Optional.empty(), true).imageId()).isEqualTo("criu-1");
    }

    @Test
    void a_failing_criu_restore_is_reported_with_its_log() throws Exception {
        Files.writeString(output, "");
        Path image = image(deadPid(), 0);
        Path log = image.resolve("restore.log");

        assertThatThrownBy(() -> restoreWith("echo 'Error (criu/cr-restore.c:1): Can not fork: File exists' > '" + log
                + "'; exit 1").restore(Optional.empty(), false))
                .isInstanceOf(CriuRestoreException.class)
                .hasMessage("criu restore of criu-1 failed (exit code 1): Error (criu/cr-restore.c:1): Can not fork: "
                        + "File exists; its log: " + log);
    }

    @Test
    void puts_back_the_hsperfdata_file_other_jvms_deleted() throws Exception {
        Files.writeString(output, "");
        Path image = image(deadPid(), 0);
        Path perf = dir.resolve("hsperfdata_someone").resolve("4242");
        Files.writeString(image.resolve(CriuImages.PERF_DATA), "counters");
        Files.writeString(image.resolve(CriuImages.PERF_DATA_PATH), perf.toString());

        restoreWith("exit 0").restore(Optional.empty(), false);

        assertThat(perf).hasContent("counters");
    }

    @Test
    void tries_again_when_another_jvm_deleted_the_hsperfdata_file_in_between() throws Exception {
        Files.writeString(output, "");
        Path image = image(deadPid(), 0);
        Path perf = dir.resolve("hsperfdata_someone").resolve("4242");
        Files.writeString(image.resolve(CriuImages.PERF_DATA), "counters");
        Files.writeString(image.resolve(CriuImages.PERF_DATA_PATH), perf.toString());
        Path attempts = dir.resolve("attempts");
        // Deletes the file as a starting JVM would, and fails as CRIU then does, on the first two attempts.
        String criu = "echo x >> '" + attempts + "'; if [ $(wc -l < '" + attempts + "') -le 2 ]; then rm '" + perf
                + "'; echo \"Error (criu/files-reg.c:2267): Can't open file " + perf.toString().substring(1)
                + ": No such file or directory\" > '" + image.resolve("restore.log") + "'; exit 1; fi";

        restoreWith(criu).restore(Optional.empty(), false);

        assertThat(Files.readAllLines(attempts)).hasSize(3);
        assertThat(perf).hasContent("counters");
    }

    @Test
    void does_not_try_again_for_other_failures() throws Exception {
        Files.writeString(output, "");
        Path image = image(deadPid(), 0);
        Path attempts = dir.resolve("attempts");

        assertThatThrownBy(() -> restoreWith("echo x >> '" + attempts + "'; echo 'Error: boom' > '"
                + image.resolve("restore.log") + "'; exit 1").restore(Optional.empty(), false))
                .hasMessageContaining("Error: boom");
        assertThat(Files.readAllLines(attempts)).hasSize(1);
    }
}
