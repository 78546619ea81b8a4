package dev.stasis.runtime.internal.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Descriptors Stasis could not open again after a relaunch refuse the checkpoint, naming the path
 * from the root to the stream and what to do, and leave the program's files as they were.
 */
class OpenFileRefusalTest {
    private static final String SLOT = "cannot snapshot %s at thread main, frame a/Main.main([Ljava/lang/String;)V @1,"
            + " ref slot 0";

    @TempDir
    Path dir;

    private final List<Closeable> toClose = new ArrayList<>();

    @AfterEach
    void closeFiles() throws IOException {
        for (Closeable c : toClose) {
            c.close();
        }
    }

    private <T extends Closeable> T open(T c) {
        toClose.add(c);
        return c;
    }

    private static String at(Class<?> type) {
        return String.format(SLOT, type.getName());
    }

    @Test
    void a_file_deleted_while_open_is_refused_naming_the_file_and_the_path_to_it() throws IOException {
        Path scratch = Files.writeString(dir.resolve("scratch.tmp"), "temporary");
        FileInputStream in = open(new FileInputStream(scratch.toFile()));
        Files.delete(scratch);

        assertThatThrownBy(() -> FileSnapshots.checkpoint(dir, Map.of("scratch", new BufferedInputStream(in))))
                .isInstanceOf(UncapturableObjectException.class)
                .hasMessageStartingWith(at(FileInputStream.class) + " -> java.util.ImmutableCollections$Map1[scratch] -> "
                        + "java.io.FilterInputStream.in (the file " + scratch + " was deleted or replaced while open")
                .hasMessageContaining("close it before the checkpoint and open it again after")
                .hasMessageContaining("org.crac Resource");
    }

    @Test
    void a_file_replaced_by_a_rename_while_open_is_refused() throws IOException {
        Path data = Files.writeString(dir.resolve("data.txt"), "old");
        FileOutputStream out = open(new FileOutputStream(data.toFile(), true));
        Path replacement = Files.writeString(dir.resolve("data.new"), "new");
        Files.move(replacement, data, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        assertThatThrownBy(() -> FileSnapshots.checkpoint(dir, out))
                .isInstanceOf(UncapturableObjectException.class)
                .hasMessageStartingWith(at(FileOutputStream.class) + " (the file " + data
                        + " was deleted or replaced while open");
    }

    @Test
    void a_path_that_now_names_another_file_is_refused() throws IOException {
        Path data = Files.writeString(dir.resolve("current.log"), "old");
        FileOutputStream out = open(new FileOutputStream(data.toFile(), true));
        Files.move(data, dir.resolve("current.log.1"));
        Files.writeString(data, "a new file at the old path");

        assertThatThrownBy(() -> FileSnapshots.checkpoint(dir, out))
                .isInstanceOf(UncapturableObjectException.class)
                .hasMessageStartingWith(at(FileOutputStream.class) + " (" + data + " now names another file than the one"
                        + " open (" + dir.resolve("current.log.1") + "): it was replaced or moved while open");
    }

    @Test
    void a_file_moved_while_open_is_refused() throws IOException {
        Path data = Files.writeString(dir.resolve("moved.txt"), "x");
        RandomAccessFile raf = open(new RandomAccessFile(data.toFile(), "rw"));
        Files.move(data, dir.resolve("elsewhere.txt"));

        assertThatThrownBy(() -> FileSnapshots.checkpoint(dir, raf))
                .isInstanceOf(UncapturableObjectException.class)
                .hasMessageStartingWith(at(RandomAccessFile.class) + " (" + data + " was moved or deleted while open"
                        + " (the descriptor is open on " + dir.resolve("elsewhere.txt") + ")");
    }

    @Test
    void a_fifo_is_refused() throws Exception {
        Path fifo = dir.resolve("pipe");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertThat(mkfifo.waitFor()).isZero();
        // Read-write opens a FIFO on Linux without waiting for the other end.
        RandomAccessFile raf = open(new RandomAccessFile(fifo.toFile(), "rw"));

        assertThatThrownBy(() -> FileSnapshots.checkpoint(dir, raf))
                .isInstanceOf(UncapturableObjectException.class)
                .hasMessageStartingWith(at(RandomAccessFile.class) + " (" + fifo + " is open on " + fifo
                        + ", which is not a regular file");
    }

    /** JDK 17 wraps a FileOutputStream on the pipe's descriptor; JDK 25 subclasses FileOutputStream. */
    @Test
    void pipes_to_a_child_process_are_refused() throws Exception {
        Process cat = new ProcessBuilder("cat").start();
        try {
            Object pipe = cat.getOutputStream();

            assertThatThrownBy(() -> FileSnapshots.checkpoint(dir, pipe))
                    .isInstanceOf(UncapturableObjectException.class)
                    .hasMessageStartingWith("cannot snapshot java.")
                    .satisfies(e -> assertThat(e.getMessage()).containsAnyOf(
                            "(it is a stream on the raw descriptor ", "(a JDK stream on a pipe or another descriptor"));
        } finally {
            cat.destroy();
            cat.waitFor();
        }
    }

    @Test
    void devices_and_kernel_files_are_refused() throws IOException {
        FileInputStream zero = open(new FileInputStream("/dev/zero"));
        FileInputStream status = open(new FileInputStream("/proc/self/status"));

        assertThatThrownBy(() -> FileSnapshots.checkpoint(dir, zero))
                .hasMessageStartingWith(at(FileInputStream.class) + " (/dev/zero is open on /dev/zero, a device or kernel file");
        assertThatThrownBy(() -> FileSnapshots.checkpoint(dir, status))
                .hasMessageStartingWith(at(FileInputStream.class) + " (/proc/self/status is open on /proc/")
                .hasMessageContaining("a device or kernel file");
    }

    @Test
    void streams_on_the_standard_descriptors_are_refused_by_name() {
        FileOutputStream out = new FileOutputStream(FileDescriptor.out);

        assertThatThrownBy(() -> FileSnapshots.checkpoint(dir, out))
                .hasMessage(at(FileOutputStream.class)
                        + " (it is a stream on standard output (FileDescriptor.out), not opened by path: Stasis does not"
                        + " save streams on the standard descriptors; keep no stream on them (System.in/out/err or one"
                        + " wrapping them) in a field or local a snapshot reaches, and use System.out/err/in where they"
                        + " are needed)");
    }

    @Test
    void a_bare_file_descriptor_is_refused() throws IOException {
        Path data = Files.writeString(dir.resolve("fd.txt"), "x");
        FileInputStream in = open(new FileInputStream(data.toFile()));

        assertThatThrownBy(() -> FileSnapshots.checkpoint(dir, in.getFD()))
                .hasMessageStartingWith(at(FileDescriptor.class) + " (a raw file descriptor cannot be saved");
    }

    @Test
    void a_file_lock_is_refused() throws IOException {
        Path data = Files.writeString(dir.resolve("locked.txt"), "x");
        FileChannel channel = open(FileChannel.open(data, java.nio.file.StandardOpenOption.WRITE));
        java.nio.channels.FileLock lock = channel.lock();

        assertThatThrownBy(() -> FileSnapshots.checkpoint(dir, lock))
                .hasMessageStartingWith(at(lock.getClass()) + " (a file lock cannot be saved");
    }

    @Test
    void an_open_jar_is_refused() throws IOException {
        Path jar = dir.resolve("lib.jar");
        try (java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new java.util.zip.ZipEntry("a.txt"));
            out.write('a');
        }
        java.util.jar.JarFile open = open(new java.util.jar.JarFile(jar.toFile()));

        assertThatThrownBy(() -> FileSnapshots.checkpoint(dir, open))
                .hasMessageStartingWith(at(java.util.jar.JarFile.class) + " (an open zip or jar file cannot be saved");
    }

    /** An application's own stream class may hold state Stasis does not know how to reopen. */
    static final class CountingInput extends FileInputStream {
        CountingInput(String name) throws FileNotFoundException {
            super(name);
        }
    }

    @Test
    void a_subclass_of_a_file_stream_is_refused() throws IOException {
        Path data = Files.writeString(dir.resolve("sub.txt"), "x");
        CountingInput in = open(new CountingInput(data.toString()));

        assertThatThrownBy(() -> FileSnapshots.checkpoint(dir, in))
                .hasMessageStartingWith(at(CountingInput.class) + " (a subclass of java.io.FileInputStream cannot be saved");
    }

    @Test
    void a_channel_of_a_stream_on_a_deleted_file_is_refused_through_its_stream() throws IOException {
        Path scratch = Files.writeString(dir.resolve("gone.txt"), "x");
        FileChannel channel = open(new FileInputStream(scratch.toFile())).getChannel();
        Files.delete(scratch);

        assertThatThrownBy(() -> FileSnapshots.checkpoint(dir, channel))
                .hasMessageStartingWith("cannot snapshot java.io.FileInputStream at thread main, frame"
                        + " a/Main.main([Ljava/lang/String;)V @1, ref slot 0 -> sun.nio.ch.FileChannelImpl.parent (the file "
                        + scratch + " was deleted or replaced while open");
    }
}
