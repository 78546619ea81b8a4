package dev.stasis.runtime.internal.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stasis.runtime.Compression;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompressedSnapshotTest {
    private static final WriteOptions LZ4 = WriteOptions.defaults().withCompression(Compression.LZ4);

    @TempDir
    Path dir;

    private Path write(String name, SnapshotContent content, WriteOptions options) throws IOException {
        Path file = dir.resolve(name + ".stasis");
        try (OutputStream out = Files.newOutputStream(file)) {
            SnapshotCodec.write(out, Snapshots.manifest(), content, options);
        }
        return file;
    }

    /** Over two blocks of text that repeats. */
    private static SnapshotContent repetitive() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 60_000; i++) {
            lines.add("ledger line " + (i % 100) + ": balance unchanged");
        }
        return Snapshots.frameHolding(lines);
    }

    @Test
    void lz4_blocks_read_back_as_written_and_take_less_room() throws IOException {
        Path plain = write("plain", repetitive(), WriteOptions.defaults());
        Path compressed = write("lz4", repetitive(), LZ4);

        VerifiedSnapshot checked = SnapshotCodec.verify(compressed, ReadOptions.defaults());

        assertThat(checked.blocks()).isGreaterThan(1);
        assertThat(checked.compressedBlocks()).isEqualTo(checked.blocks());
        assertThat(checked.payloadBytes()).isEqualTo(SnapshotCodec.verify(plain, ReadOptions.defaults()).payloadBytes());
        assertThat(Files.size(compressed)).isLessThan(Files.size(plain) / 5);
        assertThat(SnapshotCodec.readContent(compressed, getClass().getClassLoader()).threads().get(0).frames().get(0).refs[0])
                .isEqualTo(repetitive().threads().get(0).frames().get(0).refs[0]);
    }

    @Test
    void a_block_that_does_not_shrink_is_stored_as_it_is() throws IOException {
        byte[] noise = new byte[3 << 20];
        new Random(7).nextBytes(noise);

        Path file = write("noise", Snapshots.frameHolding(noise), LZ4);

        VerifiedSnapshot checked = SnapshotCodec.verify(file, ReadOptions.defaults());
        assertThat(checked.blocks()).isEqualTo(4);
        assertThat(checked.compressedBlocks()).as("only the last block, mostly not noise, shrinks").isLessThanOrEqualTo(1);
        assertThat((byte[]) SnapshotCodec.readContent(file, getClass().getClassLoader()).threads().get(0).frames().get(0).refs[0])
                .isEqualTo(noise);
    }

    @Test
    void a_damaged_compressed_block_fails_its_checksum_before_it_is_decompressed() throws IOException {
        byte[] bytes = Files.readAllBytes(write("lz4", repetitive(), LZ4));
        SnapshotBytes.Block second = SnapshotBytes.blocks(bytes).get(1);
        bytes[second.dataOffset() + 10] ^= 0x20;
        Path file = Files.write(dir.resolve("damaged.stasis"), bytes);

        assertThatThrownBy(() -> SnapshotCodec.readManifest(file))
                .isInstanceOf(SnapshotFormatException.class)
                .hasMessageStartingWith("snapshot " + file + " is unusable at byte offset " + second.offset()
                        + ": CRC32C mismatch in data block #1 at offsets " + second.offset() + ".." + second.end());
    }

    @Test
    void a_raw_length_over_the_block_size_is_refused_before_anything_is_decompressed() throws IOException {
        byte[] bytes = Files.readAllBytes(write("lz4", repetitive(), LZ4));
        SnapshotBytes.Block first = SnapshotBytes.blocks(bytes).get(0);
        ByteBuffer.wrap(bytes).putInt(first.offset() + 5, (1 << 20) + 1);
        Path file = Files.write(dir.resolve("long.stasis"), bytes);

        assertThatThrownBy(() -> SnapshotCodec.readManifest(file))
                .hasMessage("snapshot " + file + " is unusable at byte offset " + (first.offset() + 5)
                        + ": data block #0 claims 1048577 raw bytes; a block holds 1 to 1048576");
    }

    @Test
    void lz4_data_that_passes_its_checksum_but_does_not_decompress_is_refused() throws IOException {
        byte[] bytes = Files.readAllBytes(write("lz4", repetitive(), LZ4));
        SnapshotBytes.Block first = SnapshotBytes.blocks(bytes).get(0);
        Arrays.fill(bytes, first.dataOffset(), first.crcOffset(), (byte) 0xFF);
        SnapshotBytes.fixBlockCrc(bytes, first, 0);
        Path file = Files.write(dir.resolve("garbled.stasis"), bytes);

        assertThat(SnapshotCodec.readManifest(file)).as("the checks that need no decompression pass").isNotNull();
        String problem = "snapshot " + file + " is unusable at byte offset " + first.offset() + ": data block #0 passed its"
                + " checksum but its LZ4 data does not decompress to 1048576 bytes (";
        assertThatThrownBy(() -> SnapshotCodec.verify(file, ReadOptions.defaults())).hasMessageStartingWith(problem)
                .hasMessageEndingWith("): written by a faulty compressor");
        assertThatThrownBy(() -> SnapshotCodec.readContent(file, getClass().getClassLoader())).hasMessageStartingWith(problem);
    }
}
