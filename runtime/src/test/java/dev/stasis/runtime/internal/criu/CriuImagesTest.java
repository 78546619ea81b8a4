package dev.stasis.runtime.internal.criu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CriuImagesTest {

    @TempDir
    Path dir;

    private Path commitImage(CriuImages images, long pid) throws IOException {
        long id = images.nextId();
        Path temp = Files.createDirectory(images.temporary(id));
        new CriuImages.ImageRecord(pid, "run-" + pid).write(temp);
        Files.writeString(temp.resolve("pages-1.img"), "x".repeat(100));
        return images.commit(id);
    }

    @Test
    void a_dump_in_progress_is_not_an_image_until_committed() throws IOException {
        CriuImages images = CriuImages.open(dir);
        long id = images.nextId();
        Path temp = Files.createDirectory(images.temporary(id));
        new CriuImages.ImageRecord(42, "run").write(temp);

        assertThat(images.list()).isEmpty();
        assertThat(images.nextId()).as("a new dump never reuses the id of one in progress").isEqualTo(id + 1);

        Path committed = images.commit(id);
        assertThat(committed.getFileName().toString()).isEqualTo("criu-" + id);
        assertThat(images.list()).extracting(CriuImages.Image::id).containsExactly("criu-" + id);
        assertThat(images.list().get(0).record()).isEqualTo(new CriuImages.ImageRecord(42, "run"));
    }

    @Test
    void lists_newest_first_by_number_not_by_name() throws IOException {
        CriuImages images = CriuImages.open(dir);
        for (int i = 0; i < 11; i++) {
            commitImage(images, 100 + i);
        }
        assertThat(images.list()).extracting(CriuImages.Image::id).startsWith("criu-11", "criu-10", "criu-9");
    }

    @Test
    void prune_keeps_the_newest_and_deletes_whole_image_directories() throws IOException {
        CriuImages images = CriuImages.open(dir);
        Path oldest = commitImage(images, 1);
        commitImage(images, 2);
        commitImage(images, 3);

        images.prune(2);

        assertThat(images.list()).extracting(CriuImages.Image::id).containsExactly("criu-3", "criu-2");
        assertThat(oldest).doesNotExist();
    }

    @Test
    void a_failed_dump_keeps_only_its_logs_and_replaces_the_previous_failure() throws IOException {
        CriuImages images = CriuImages.open(dir);
        long first = images.nextId();
        Path temp = Files.createDirectory(images.temporary(first));
        Files.writeString(temp.resolve("dump.log"), "Error (criu/sockets.c:628): boom");
        Files.writeString(temp.resolve("pages-1.img"), "big");
        Path failed = images.setAsideFailed(first);

        assertThat(failed.resolve("dump.log")).hasContent("Error (criu/sockets.c:628): boom");
        assertThat(failed.resolve("pages-1.img")).doesNotExist();
        assertThat(images.list()).isEmpty();

        long second = images.nextId();
        assertThat(second).isGreaterThan(first);
        Files.createDirectory(images.temporary(second));
        images.setAsideFailed(second);
        assertThat(failed).doesNotExist();
    }

    @Test
    void a_damaged_record_is_refused_naming_the_file() throws IOException {
        CriuImages images = CriuImages.open(dir);
        Path image = commitImage(images, 7);
        Files.writeString(image.resolve(CriuImages.RECORD), "pid=seven\nrun=r\n");

        assertThatThrownBy(() -> images.list().get(0).record())
                .isInstanceOf(IOException.class)
                .hasMessageContaining(image.resolve(CriuImages.RECORD) + " is damaged (pid 'seven'");
    }

    @Test
    void a_finished_run_is_remembered() throws IOException {
        CriuImages images = CriuImages.open(dir);
        assertThat(images.isFinished("run-1")).isFalse();
        images.markFinished("run-1");
        images.markFinished("run-1");
        assertThat(images.isFinished("run-1")).isTrue();
        assertThat(images.isFinished("run-2")).isFalse();
    }

    @Test
    void removes_the_unfinished_dumps_of_dead_processes_only() throws Exception {
        CriuImages images = CriuImages.open(dir);
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path abandoned = Files.createDirectory(images.temporary(1));
        new CriuImages.ImageRecord(gone.pid(), "run-a").write(abandoned);
        Path inProgress = Files.createDirectory(images.temporary(2));
        new CriuImages.ImageRecord(ProcessHandle.current().pid(), "run-b").write(inProgress);
        Path committed = commitImage(images, gone.pid());

        images.removeAbandoned();

        assertThat(abandoned).doesNotExist();
        assertThat(inProgress).exists();
        assertThat(committed).exists();
    }
}
