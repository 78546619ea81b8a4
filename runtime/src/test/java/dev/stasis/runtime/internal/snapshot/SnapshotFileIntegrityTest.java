package dev.stasis.runtime.internal.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotFileIntegrityTest {
    /** magic 8 + version 4 + flags 4 + manifest length 4. */
    private static final int HEADER = 20;
    /** stored length 4 + encoding 1 + raw length 4. */
    private static final int BLOCK_HEADER = 9;

    @TempDir
    Path dir;

    private Path validSnapshot() throws IOException {
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            values.add("value-" + i);
        }
        // Big enough for several 1 MiB data blocks.
        values.add(new long[400_000]);
        return Snapshots.write(dir.resolve("valid.stasis"), Snapshots.frameHolding(values, new Random(1).ints(300_000).toArray()));
    }

    private Path copyWith(byte[] bytes) throws IOException {
        Path copy = dir.resolve("damaged-" + System.nanoTime() + ".stasis");
        Files.write(copy, bytes);
        return copy;
    }

    private static int manifestLength(byte[] bytes) {
        return ByteBuffer.wrap(bytes, 16, 4).getInt();
    }

    @Test
    void manifest_reads_back_without_the_content() throws IOException {
        Manifest manifest = SnapshotCodec.readManifest(validSnapshot());

        assertThat(manifest).isEqualTo(Snapshots.manifest());
    }

    @Test
    void write_returns_the_number_of_bytes_in_the_file() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long written = SnapshotCodec.write(out, Snapshots.manifest(), Snapshots.frameHolding("x"));

        assertThat(written).isEqualTo(out.size());
        Path file = copyWith(out.toByteArray());
        assertThat(SnapshotCodec.readContent(file, getClass().getClassLoader()).threads().get(0).frames().get(0).refs[0])
                .isEqualTo("x");
    }

    @Test
    void a_flipped_byte_anywhere_in_the_data_is_a_checksum_error_naming_file_and_block() throws IOException {
        Path valid = validSnapshot();
        byte[] bytes = Files.readAllBytes(valid);
        int dataStart = HEADER + manifestLength(bytes) + 4;
        Random random = new Random(42);
        for (int trial = 0; trial < 40; trial++) {
            byte[] damaged = bytes.clone();
            int at = dataStart + random.nextInt(bytes.length - dataStart);
            damaged[at] ^= (byte) (1 << random.nextInt(8));
            Path file = copyWith(damaged);

            assertThatThrownBy(() -> SnapshotCodec.readManifest(file))
                    .as("flip at %d", at)
                    .isInstanceOf(SnapshotFormatException.class)
                    .hasMessageStartingWith("snapshot " + file + " is unusable at byte offset ")
                    .satisfies(e -> assertThat(((SnapshotFormatException) e).offset()).isBetween((long) dataStart - 1, (long) at));
            assertThatThrownBy(() -> SnapshotCodec.readContent(file, getClass().getClassLoader()))
                    .isInstanceOf(SnapshotFormatException.class);
        }
    }

    @Test
    void a_flipped_byte_in_a_data_block_names_that_block() throws IOException {
        Path valid = validSnapshot();
        byte[] bytes = Files.readAllBytes(valid);
        int dataStart = HEADER + manifestLength(bytes) + 4;
        int secondBlock = dataStart + BLOCK_HEADER + (1 << 20) + 4;
        bytes[secondBlock + BLOCK_HEADER + 1000] ^= 1;
        Path file = copyWith(bytes);

        assertThatThrownBy(() -> SnapshotCodec.readManifest(file))
                .hasMessageStartingWith("snapshot " + file + " is unusable at byte offset " + secondBlock
                        + ": CRC32C mismatch in data block #1 at offsets " + secondBlock + "..")
                .hasMessageEndingWith("): the block is damaged or out of place")
                .satisfies(e -> assertThat(((SnapshotFormatException) e).offset()).isEqualTo(secondBlock));
    }

    @Test
    void a_flipped_byte_in_the_manifest_is_a_checksum_error() throws IOException {
        byte[] bytes = Files.readAllBytes(validSnapshot());
        bytes[HEADER + 5] ^= 0x10;
        Path file = copyWith(bytes);

        assertThatThrownBy(() -> SnapshotCodec.readManifest(file))
                .isInstanceOf(SnapshotFormatException.class)
                .hasMessageContaining("CRC32C mismatch in the header and manifest");
    }

    @Test
    void a_file_truncated_anywhere_is_refused() throws IOException {
        Path valid = validSnapshot();
        byte[] bytes = Files.readAllBytes(valid);
        int dataStart = HEADER + manifestLength(bytes) + 4;
        int[] cuts = {0, 3, 8, 15, HEADER + 2, dataStart - 1, dataStart, dataStart + 3, dataStart + 100, bytes.length / 2,
            bytes.length - 21, bytes.length - 20, bytes.length - 8, bytes.length - 1};
        for (int cut : cuts) {
            Path file = copyWith(Arrays.copyOf(bytes, cut));

            assertThatThrownBy(() -> SnapshotCodec.readManifest(file))
                    .as("cut at %d", cut)
                    .isInstanceOf(SnapshotFormatException.class)
                    .hasMessageStartingWith("snapshot " + file + " is unusable at byte offset ");
        }
    }

    @Test
    void a_truncated_file_says_where_it_ends() throws IOException {
        Path valid = validSnapshot();
        byte[] bytes = Files.readAllBytes(valid);
        int dataStart = HEADER + manifestLength(bytes) + 4;
        Path file = copyWith(Arrays.copyOf(bytes, dataStart + 100));

        assertThatThrownBy(() -> SnapshotCodec.readManifest(file))
                .hasMessage("snapshot " + file + " is unusable at byte offset " + (dataStart + 100)
                        + ": file is truncated: it ends inside data block #0 that starts at offset " + (dataStart + BLOCK_HEADER));
    }

    @Test
    void bytes_appended_after_the_end_marker_are_refused() throws IOException {
        byte[] bytes = Files.readAllBytes(validSnapshot());
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        Path file = copyWith(longer);

        assertThatThrownBy(() -> SnapshotCodec.readManifest(file))
                .hasMessageContaining("unexpected bytes after the end marker");
    }

    @Test
    void bad_magic_is_refused() throws IOException {
        byte[] bytes = Files.readAllBytes(validSnapshot());
        bytes[0] = 'X';
        Path file = copyWith(bytes);

        assertThatThrownBy(() -> SnapshotCodec.readManifest(file))
                .isInstanceOf(SnapshotFormatException.class)
                .hasMessage("snapshot " + file + " is unusable at byte offset 0: bad magic: not a Stasis snapshot"
                        + " (it starts with 585441534953" + "1a0a)");
    }

    @Test
    void a_newer_format_version_asks_for_a_newer_agent() throws IOException {
        byte[] bytes = Files.readAllBytes(validSnapshot());
        ByteBuffer.wrap(bytes).putInt(8, Manifest.FORMAT_VERSION + 1);
        Path file = copyWith(bytes);

        assertThatThrownBy(() -> SnapshotCodec.readManifest(file))
                .isInstanceOf(SnapshotFormatException.class)
                .hasMessage("snapshot " + file + " was written by a newer Stasis (format " + (Manifest.FORMAT_VERSION + 1)
                        + "), this agent reads up to " + Manifest.FORMAT_VERSION + ": use a newer agent")
                .satisfies(e -> assertThat(((SnapshotFormatException) e).kind()).isEqualTo(SnapshotFormatException.Kind.UNSUPPORTED));
    }

    @Test
    void an_impossible_manifest_length_is_refused_before_allocating() throws IOException {
        byte[] bytes = Files.readAllBytes(validSnapshot());
        ByteBuffer.wrap(bytes).putInt(16, Integer.MAX_VALUE);
        Path file = copyWith(bytes);

        assertThatThrownBy(() -> SnapshotCodec.readManifest(file))
                .hasMessageContaining("at byte offset 16: impossible manifest length 2147483647");
    }

    @Test
    void a_class_missing_at_read_time_names_file_and_data_offset() throws Exception {
        Path classes = dir.resolve("classes");
        Path source = dir.resolve("src/gone/Gone.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "package gone; public class Gone { int x = 3; }");
        int status = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), source.toString());
        assertThat(status).isZero();
        Object gone;
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
            gone = loader.loadClass("gone.Gone").getConstructor().newInstance();
        }
        Path file = Snapshots.write(dir.resolve("s.stasis"), Snapshots.frameHolding("before", gone));

        assertThatThrownBy(() -> SnapshotCodec.readContent(file, getClass().getClassLoader()))
                .isInstanceOf(SnapshotFormatException.class)
                .hasMessageStartingWith("snapshot " + file + " is unusable at byte offset ")
                .hasMessageContaining("cannot rebuild the saved objects (data byte ")
                .hasMessageContaining("gone.Gone");
    }

    private Path smallBlocks(String name, Object value) throws IOException {
        Path file = dir.resolve(name + ".stasis");
        try (var out = Files.newOutputStream(file)) {
            SnapshotCodec.write(out, Snapshots.manifest(), Snapshots.frameHolding(value), WriteOptions.defaults().withBlockBytes(4096));
        }
        return file;
    }

    @Test
    void swapped_blocks_each_fail_their_own_checksum() throws IOException {
        byte[] bytes = Files.readAllBytes(smallBlocks("swap", new Random(3).longs(2000).toArray()));
        List<SnapshotBytes.Block> blocks = SnapshotBytes.blocks(bytes);
        SnapshotBytes.Block one = blocks.get(1);
        SnapshotBytes.Block two = blocks.get(2);
        assertThat(one.end() - one.offset()).isEqualTo(two.end() - two.offset());
        byte[] swapped = bytes.clone();
        System.arraycopy(bytes, two.offset(), swapped, one.offset(), two.end() - two.offset());
        System.arraycopy(bytes, one.offset(), swapped, two.offset(), one.end() - one.offset());
        Path file = copyWith(swapped);

        assertThatThrownBy(() -> SnapshotCodec.readManifest(file))
                .hasMessageStartingWith("snapshot " + file + " is unusable at byte offset " + one.offset()
                        + ": CRC32C mismatch in data block #1 ")
                .hasMessageEndingWith("the block is damaged or out of place");
    }

    @Test
    void a_missing_last_block_is_found_by_the_trailer() throws IOException {
        byte[] bytes = Files.readAllBytes(smallBlocks("drop", new Random(3).longs(2000).toArray()));
        List<SnapshotBytes.Block> blocks = SnapshotBytes.blocks(bytes);
        SnapshotBytes.Block last = blocks.get(blocks.size() - 1);
        byte[] dropped = new byte[bytes.length - (last.end() - last.offset())];
        System.arraycopy(bytes, 0, dropped, 0, last.offset());
        System.arraycopy(bytes, last.end(), dropped, last.offset(), bytes.length - last.end());
        Path file = copyWith(dropped);
        long raw = SnapshotCodec.verify(smallBlocks("whole", new Random(3).longs(2000).toArray()), ReadOptions.defaults()).payloadBytes();

        assertThatThrownBy(() -> SnapshotCodec.readManifest(file))
                .hasMessage("snapshot " + file + " is unusable at byte offset " + (last.offset() + 4) + ": the trailer records "
                        + blocks.size() + " blocks of " + raw + " bytes, the file holds " + (blocks.size() - 1) + " blocks of "
                        + (raw - last.rawLength()) + ": blocks are missing or added");
    }

    @Test
    void a_file_that_changes_between_the_check_and_the_read_is_refused() throws IOException {
        Path file = smallBlocks("changing", "first version of the text");
        byte[] other = Files.readAllBytes(smallBlocks("other", "other version of the text"));
        SnapshotBytes.Block replacement = SnapshotBytes.blocks(other).get(0);

        try (SnapshotFileReader reader = SnapshotFileReader.open(file, ReadOptions.defaults())) {
            SnapshotFileReader.Checked checked = reader.check();
            try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(other, replacement.offset(), replacement.end() - replacement.offset()),
                        replacement.offset());
            }

            assertThatThrownBy(() -> reader.readPayload(checked, (blocks, c) -> blocks.readAllBytes()))
                    .hasMessage("snapshot " + file + " is unusable at byte offset " + replacement.offset() + ": data block #0"
                            + " is not the one checked a moment ago: the file changed while it was being read");
        }
    }

    @Test
    void format_1_is_refused_with_what_to_do() throws IOException {
        byte[] bytes = Files.readAllBytes(validSnapshot());
        ByteBuffer.wrap(bytes).putInt(8, 1);
        Path file = copyWith(bytes);

        assertThatThrownBy(() -> SnapshotCodec.readManifest(file))
                .hasMessage("snapshot " + file + " has format 1, which this agent no longer reads (it reads format " + Manifest.FORMAT_VERSION + "; no"
                        + " release wrote format 1): start fresh with restore=never")
                .satisfies(e -> assertThat(((SnapshotFormatException) e).kind()).isEqualTo(SnapshotFormatException.Kind.UNSUPPORTED));
    }

    @Test
    void unknown_header_flags_are_refused_as_a_newer_format() throws IOException {
        byte[] bytes = Files.readAllBytes(validSnapshot());
        ByteBuffer.wrap(bytes).putInt(12, 4);
        SnapshotBytes.fixHeaderCrc(bytes);
        Path file = copyWith(bytes);

        assertThatThrownBy(() -> SnapshotCodec.readManifest(file))
                .hasMessage("snapshot " + file + " is unusable at byte offset 12: unknown header flags 0x4: written by a newer"
                        + " Stasis; use a newer agent");
    }
}
