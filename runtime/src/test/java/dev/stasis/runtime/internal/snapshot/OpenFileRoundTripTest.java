package dev.stasis.runtime.internal.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stasis.runtime.internal.snapshot.files.FileCapture;
import dev.stasis.runtime.internal.snapshot.files.FileHandle;
import dev.stasis.runtime.internal.snapshot.files.OpenFiles;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Open files in a snapshot come back open on the same file at the same position; output files are
 * cut back to their length at the checkpoint, so what a killed run wrote after it is not written twice.
 */
class OpenFileRoundTripTest {
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

    private Object[] resume(Object... refs) throws IOException {
        Object[] back = FileSnapshots.resume(FileSnapshots.checkpoint(dir, refs));
        for (Object o : back) {
            if (o instanceof Closeable c) {
                toClose.add(c);
            }
        }
        return back;
    }

    @Test
    void input_stream_resumes_at_its_position() throws Exception {
        Path input = Files.writeString(dir.resolve("in.txt"), "abcdefghij");
        FileInputStream in = open(new FileInputStream(input.toFile()));
        assertThat(in.readNBytes(3)).isEqualTo("abc".getBytes(StandardCharsets.US_ASCII));

        FileInputStream back = (FileInputStream) resume(in)[0];

        assertThat(new String(back.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("defghij");
        assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).as("the original, after the checkpoint")
                .isEqualTo("defghij");
    }

    @Test
    void buffered_reader_resumes_with_its_buffer_and_the_file_at_the_position_after_it() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            text.append("line ").append(i).append('\n');
        }
        Path input = Files.writeString(dir.resolve("lines.txt"), text);
        BufferedReader reader = open(new BufferedReader(new InputStreamReader(new FileInputStream(input.toFile()),
                StandardCharsets.UTF_8), 64));
        for (int i = 0; i < 7; i++) {
            reader.readLine();
        }

        BufferedReader back = (BufferedReader) resume(reader)[0];

        List<String> rest = new ArrayList<>();
        for (String line = back.readLine(); line != null; line = back.readLine()) {
            rest.add(line);
        }
        assertThat(rest).hasSize(193).startsWith("line 7").endsWith("line 199");
    }

    @Test
    void output_stream_is_cut_back_to_its_length_at_the_checkpoint_and_writes_on_from_there() throws Exception {
        Path output = dir.resolve("out.txt");
        FileOutputStream out = new FileOutputStream(output.toFile());
        out.write("before ".getBytes(StandardCharsets.US_ASCII));
        Path snapshot = FileSnapshots.checkpoint(dir, out);
        out.write("written after the checkpoint by the run that was killed".getBytes(StandardCharsets.US_ASCII));
        out.close();

        FileOutputStream back = (FileOutputStream) FileSnapshots.resume(snapshot)[0];
        back.write("after".getBytes(StandardCharsets.US_ASCII));
        back.close();

        assertThat(Files.readString(output)).isEqualTo("before after");
    }

    @Test
    void append_stream_is_cut_back_and_appends_again() throws Exception {
        Path log = Files.writeString(dir.resolve("log.txt"), "earlier run\n");
        FileOutputStream out = new FileOutputStream(log.toFile(), true);
        out.write("one\n".getBytes(StandardCharsets.US_ASCII));
        Path snapshot = FileSnapshots.checkpoint(dir, out);
        out.write("two (killed run)\n".getBytes(StandardCharsets.US_ASCII));
        out.close();

        FileOutputStream back = (FileOutputStream) FileSnapshots.resume(snapshot)[0];
        assertThat(FileCapture.of(back).append()).as("reopened in append mode").isTrue();
        back.write("two\n".getBytes(StandardCharsets.US_ASCII));
        back.close();

        assertThat(Files.readString(log)).isEqualTo("earlier run\none\ntwo\n");
    }

    @Test
    void buffered_writer_with_unflushed_chars_writes_them_exactly_once_after_resume() throws Exception {
        Path output = dir.resolve("results.txt");
        BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(new FileOutputStream(output.toFile()),
                StandardCharsets.UTF_8), 16);
        writer.write("flushed|");
        writer.flush();
        writer.write("buffered|");
        Path snapshot = FileSnapshots.checkpoint(dir, writer);
        writer.write("killed run's tail");
        writer.close();
        assertThat(Files.readString(output)).isEqualTo("flushed|buffered|killed run's tail");

        BufferedWriter back = (BufferedWriter) FileSnapshots.resume(snapshot)[0];
        back.write("end");
        back.close();

        assertThat(Files.readString(output)).isEqualTo("flushed|buffered|end");
    }

    @ParameterizedTest
    @ValueSource(strings = {"r", "rw", "rws", "rwd"})
    void random_access_file_comes_back_in_its_mode_at_its_pointer(String mode) throws Exception {
        Path file = Files.writeString(dir.resolve("data-" + mode), "0123456789");
        RandomAccessFile raf = open(new RandomAccessFile(file.toFile(), mode));
        raf.seek(4);
        FileHandle before = FileCapture.of(raf);
        Path snapshot = FileSnapshots.checkpoint(dir, raf);
        if (!mode.equals("r")) {
            raf.seek(10);
            raf.write("ABC".getBytes(StandardCharsets.US_ASCII));
        }

        RandomAccessFile back = (RandomAccessFile) FileSnapshots.resume(snapshot)[0];
        toClose.add(back);

        assertThat(back.getFilePointer()).isEqualTo(4);
        assertThat(back.length()).as("cut back to its length at the checkpoint").isEqualTo(10);
        assertThat(FileCapture.of(back).accessText()).isEqualTo(before.accessText());
        assertThat((char) back.read()).isEqualTo('4');
    }

    @ParameterizedTest
    @ValueSource(strings = {"READ", "WRITE", "WRITE,APPEND", "READ,WRITE", "READ,WRITE,DSYNC", "WRITE,SYNC"})
    void channel_of_file_channel_open_comes_back_with_its_options_and_position(String optionList) throws Exception {
        Path file = Files.writeString(dir.resolve("channel.bin"), "0123456789");
        List<OpenOption> options = new ArrayList<>();
        for (String option : optionList.split(",")) {
            options.add(StandardOpenOption.valueOf(option));
        }
        FileChannel channel = open(FileChannel.open(file, options.toArray(OpenOption[]::new)));
        if (!options.contains(StandardOpenOption.APPEND)) {
            channel.position(6);
        }
        FileHandle before = FileCapture.of(channel);

        FileChannel back = (FileChannel) resume(channel)[0];

        assertThat(back.position()).isEqualTo(channel.position());
        assertThat(FileCapture.of(back).accessText()).isEqualTo(before.accessText());
        assertThat(FileCapture.ownerOf(back)).isNull();
    }

    @Test
    void channel_of_a_stream_comes_back_as_the_channel_of_the_same_reopened_stream() throws Exception {
        Path output = dir.resolve("shared.txt");
        FileOutputStream out = open(new FileOutputStream(output.toFile()));
        FileChannel channel = out.getChannel();
        out.write("ab".getBytes(StandardCharsets.US_ASCII));

        Object[] back = resume(channel, out);

        FileOutputStream backOut = (FileOutputStream) back[1];
        assertThat(back[0]).isSameAs(backOut.getChannel());
        ((FileChannel) back[0]).write(ByteBuffer.wrap("cd".getBytes(StandardCharsets.US_ASCII)));
        backOut.write("ef".getBytes(StandardCharsets.US_ASCII));
        backOut.close();
        assertThat(((FileChannel) back[0]).isOpen()).as("closing the stream closes its channel").isFalse();
        assertThat(Files.readString(output)).isEqualTo("abcdef");
    }

    @Test
    void readers_and_writers_of_java_nio_file_files_resume_through_their_channels() throws Exception {
        Path input = Files.writeString(dir.resolve("nio-in.txt"), "first\nsecond\nthird\n");
        Path output = dir.resolve("nio-out.txt");
        BufferedReader reader = open(Files.newBufferedReader(input, StandardCharsets.UTF_8));
        BufferedWriter writer = Files.newBufferedWriter(output, StandardCharsets.UTF_8);
        reader.readLine();
        writer.write("one|");
        writer.flush();
        writer.write("two|");
        Path snapshot = FileSnapshots.checkpoint(dir, reader, writer);
        writer.write("killed run's tail");
        writer.close();

        Object[] back = FileSnapshots.resume(snapshot);
        BufferedReader backReader = open((BufferedReader) back[0]);
        BufferedWriter backWriter = (BufferedWriter) back[1];
        backWriter.write("three");
        backWriter.close();

        assertThat(backReader.readLine()).isEqualTo("second");
        assertThat(Files.readString(output)).isEqualTo("one|two|three");
    }

    @Test
    void one_stream_reached_twice_is_one_reopened_stream() throws Exception {
        Path input = Files.writeString(dir.resolve("twice.txt"), "xyz");
        FileInputStream in = open(new FileInputStream(input.toFile()));

        Object[] back = resume(in, List.of(in));

        assertThat(((List<?>) back[1]).get(0)).isSameAs(back[0]);
    }

    @Test
    void closed_streams_and_channels_come_back_closed() throws Exception {
        Path file = Files.writeString(dir.resolve("closed.txt"), "x");
        FileInputStream in = new FileInputStream(file.toFile());
        in.close();
        FileOutputStream out = new FileOutputStream(dir.resolve("closed-out.txt").toFile());
        out.close();
        RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r");
        raf.close();
        FileChannel channel = FileChannel.open(file);
        channel.close();
        Files.delete(file);

        Object[] back = resume(in, out, raf, channel);

        assertThatThrownBy(((FileInputStream) back[0])::read).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> ((FileOutputStream) back[1]).write(1)).isInstanceOf(IOException.class);
        assertThatThrownBy(((RandomAccessFile) back[2])::read).isInstanceOf(IOException.class);
        assertThat(((FileChannel) back[3]).isOpen()).isFalse();
        assertThat(FileCapture.of((FileInputStream) back[0])).isEqualTo(FileHandle.closed(file.toString()));
    }

    @Test
    void reading_without_resuming_touches_no_file_and_gives_the_handles_back_closed() throws Exception {
        Path output = dir.resolve("untouched.txt");
        FileOutputStream out = new FileOutputStream(output.toFile());
        out.write("checkpointed".getBytes(StandardCharsets.US_ASCII));
        Path snapshot = FileSnapshots.checkpoint(dir, out);
        out.write(" and more".getBytes(StandardCharsets.US_ASCII));
        out.close();

        Object[] back = FileSnapshots.read(snapshot, OpenFiles.LEAVE_CLOSED);

        assertThat(Files.readString(output)).isEqualTo("checkpointed and more");
        assertThat(FileCapture.of((FileOutputStream) back[0])).isEqualTo(FileHandle.closed(output.toString()));
    }

    @Test
    void a_relative_path_is_saved_as_absolute() throws Exception {
        Path input = Files.writeString(dir.resolve("relative.txt"), "r");
        String relative = Path.of("").toAbsolutePath().relativize(input).toString();
        FileInputStream in = open(new FileInputStream(relative));

        Path saved = Path.of(FileCapture.of(in).path());
        assertThat(saved.isAbsolute()).as(saved.toString()).isTrue();
        assertThat(Files.isSameFile(saved, input)).as(saved.toString()).isTrue();
        assertThat(((FileInputStream) resume(in)[0]).read()).isEqualTo('r');
    }
}
