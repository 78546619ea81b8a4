package dev.stasis.runtime.internal.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stasis.runtime.internal.snapshot.files.FileReopenException;
import dev.stasis.runtime.internal.snapshot.files.OpenFiles;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A resume reopens files only when they are still what the snapshot saw: an input file that
 * changed, a missing file or an output file shorter than at the checkpoint stop it, naming the file
 * and what changed, before any output file is cut back.
 */
class OpenFileResumeCheckTest {
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

    @Test
    void an_input_that_grew_is_refused_naming_it_and_no_output_file_is_cut() throws IOException {
        Path input = Files.writeString(dir.resolve("input.csv"), "a,b\n1,2\n");
        Path output = dir.resolve("output.txt");
        FileInputStream in = open(new FileInputStream(input.toFile()));
        FileOutputStream out = open(new FileOutputStream(output.toFile()));
        out.write("first".getBytes(StandardCharsets.US_ASCII));
        Path snapshot = FileSnapshots.checkpoint(dir, in, out);
        out.write(" and after".getBytes(StandardCharsets.US_ASCII));
        Files.writeString(input, "3,4\n", java.nio.file.StandardOpenOption.APPEND);

        assertThatThrownBy(() -> FileSnapshots.resume(snapshot))
                .isInstanceOf(FileReopenException.class)
                .hasMessageStartingWith("the input file " + input + " changed since the checkpoint: size 8 -> 12 bytes")
                .hasMessageContaining("sampled content differs")
                .satisfies(e -> assertThat(((FileReopenException) e).remedy()).contains("changedInputs=accept"));
        assertThat(Files.readString(output)).as("nothing cut back").isEqualTo("first and after");
    }

    @Test
    void an_input_rewritten_in_place_with_its_size_and_time_kept_is_caught_by_its_sampled_content() throws IOException {
        Path input = Files.writeString(dir.resolve("same-size.txt"), "0123456789");
        FileTime modified = Files.getLastModifiedTime(input);
        RandomAccessFile raf = open(new RandomAccessFile(input.toFile(), "r"));
        Path snapshot = FileSnapshots.checkpoint(dir, raf);
        Files.writeString(input, "0123X56789");
        Files.setLastModifiedTime(input, modified);

        assertThatThrownBy(() -> FileSnapshots.resume(snapshot))
                .isInstanceOf(FileReopenException.class)
                .hasMessage("the input file " + input + " changed since the checkpoint: sampled content differs");
    }

    @Test
    void an_input_touched_but_not_changed_is_refused_for_its_time() throws IOException {
        Path input = Files.writeString(dir.resolve("touched.txt"), "same");
        FileInputStream in = open(new FileInputStream(input.toFile()));
        Path snapshot = FileSnapshots.checkpoint(dir, in);
        Files.setLastModifiedTime(input, FileTime.fromMillis(Files.getLastModifiedTime(input).toMillis() - 60_000));

        assertThatThrownBy(() -> FileSnapshots.resume(snapshot))
                .isInstanceOf(FileReopenException.class)
                .hasMessageStartingWith("the input file " + input + " changed since the checkpoint: modified ");
    }

    @Test
    void a_changed_input_is_reopened_as_it_is_now_when_the_user_accepts_it() throws IOException {
        Path input = Files.writeString(dir.resolve("accepted.txt"), "abcdef");
        FileInputStream in = open(new FileInputStream(input.toFile()));
        in.readNBytes(2);
        Path snapshot = FileSnapshots.checkpoint(dir, in);
        Files.writeString(input, "ABCDEFGH");

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream previous = System.err;
        Object[] back;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            back = FileSnapshots.read(snapshot, OpenFiles.REOPEN_ACCEPTING_CHANGED_INPUTS);
        } finally {
            System.setErr(previous);
        }
        FileInputStream resumed = open((FileInputStream) back[0]);

        assertThat(new String(resumed.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("CDEFGH");
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("stasis: the input file " + input
                + " changed since the checkpoint: size 6 -> 8 bytes").contains("resuming anyway (changedInputs=accept)");
    }

    @Test
    void a_missing_file_is_refused() throws IOException {
        Path input = Files.writeString(dir.resolve("vanishing.txt"), "x");
        FileInputStream in = open(new FileInputStream(input.toFile()));
        Path snapshot = FileSnapshots.checkpoint(dir, in);
        in.close();
        Files.delete(input);

        assertThatThrownBy(() -> FileSnapshots.resume(snapshot))
                .isInstanceOf(FileReopenException.class)
                .hasMessageStartingWith("the file " + input + " is missing or unreadable")
                .hasMessageEndingWith("the snapshot had it open for read at position 0, 1 bytes long");
    }

    @Test
    void an_output_file_shorter_than_at_the_checkpoint_is_refused_and_left_alone() throws IOException {
        Path output = dir.resolve("results.txt");
        FileOutputStream out = open(new FileOutputStream(output.toFile()));
        out.write("0123456789".getBytes(StandardCharsets.US_ASCII));
        Path snapshot = FileSnapshots.checkpoint(dir, out);
        out.close();
        Files.writeString(output, "012");

        assertThatThrownBy(() -> FileSnapshots.resume(snapshot))
                .isInstanceOf(FileReopenException.class)
                .hasMessageStartingWith("the output file " + output + " is shorter than at the checkpoint (3 bytes now, 10 then)");
        assertThat(Files.readString(output)).isEqualTo("012");
    }

    @Test
    void a_file_the_program_reads_and_writes_is_not_checked_as_an_input_and_is_cut_back() throws IOException {
        Path journal = dir.resolve("journal.txt");
        FileOutputStream out = open(new FileOutputStream(journal.toFile()));
        out.write("entry 1\n".getBytes(StandardCharsets.US_ASCII));
        FileInputStream in = open(new FileInputStream(journal.toFile()));
        Path snapshot = FileSnapshots.checkpoint(dir, out, in);
        out.write("entry 2\n".getBytes(StandardCharsets.US_ASCII));

        Object[] back = FileSnapshots.resume(snapshot);
        Arrays.stream(back).forEach(o -> open((Closeable) o));

        assertThat(new String(((FileInputStream) back[1]).readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("entry 1\n");
    }

    @Test
    void a_large_input_is_fingerprinted_at_its_end_too() throws IOException {
        byte[] content = new byte[1 << 20];
        Arrays.fill(content, (byte) 'x');
        Path input = Files.write(dir.resolve("large.bin"), content);
        FileTime modified = Files.getLastModifiedTime(input);
        FileInputStream in = open(new FileInputStream(input.toFile()));
        Path snapshot = FileSnapshots.checkpoint(dir, in);
        content[content.length - 1] = 'y';
        Files.write(input, content);
        Files.setLastModifiedTime(input, modified);

        assertThatThrownBy(() -> FileSnapshots.resume(snapshot))
                .hasMessageEndingWith("changed since the checkpoint: sampled content differs");
    }
}
