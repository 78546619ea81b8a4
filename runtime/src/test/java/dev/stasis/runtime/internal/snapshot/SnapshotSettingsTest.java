package dev.stasis.runtime.internal.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stasis.runtime.Compression;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotSettingsTest {
    @TempDir
    Path dir;

    private Path key(String content) throws IOException {
        Path file = dir.resolve("job.key");
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file.toRealPath();
    }

    private Path writeWith(WriteOptions options) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SnapshotCodec.write(out, Snapshots.manifest(), Snapshots.frameHolding("x"), options);
        return Files.write(dir.resolve("s-" + System.nanoTime() + ".stasis"), out.toByteArray());
    }

    @Test
    void a_bad_key_file_is_refused_when_the_run_starts() throws IOException {
        Path file = key("0123456789abcdef0123456789abcdef");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));

        assertThatThrownBy(() -> SnapshotSettings.load(Compression.LZ4, file))
                .isInstanceOf(SnapshotKeyException.class)
                .hasMessageStartingWith("key file " + file + " has mode rw-rw-rw- (0666)");
    }

    @Test
    void each_checkpoint_signs_with_the_key_file_as_it_is_then() throws IOException {
        Path file = key("0123456789abcdef0123456789abcdef");
        SnapshotSettings settings = SnapshotSettings.load(Compression.LZ4, file);
        Path before = writeWith(settings.writeOptions());
        key("a new key, replaced while running");

        Path after = writeWith(settings.writeOptions());

        assertThat(settings.writeOptions().compression()).isEqualTo(Compression.LZ4);
        assertThat(SnapshotCodec.verify(before, settings.readOptions()).authenticated()).as("the key the run started with").isTrue();
        assertThat(SnapshotCodec.verify(after, ReadOptions.defaults().withKey(SnapshotKey.load(file))).authenticated()).isTrue();
        assertThatThrownBy(() -> SnapshotCodec.verify(after, settings.readOptions())).hasMessageContaining("HMAC-SHA256 mismatch");
    }

    @Test
    void a_checkpoint_fails_when_the_key_file_became_unsafe() throws IOException {
        Path file = key("0123456789abcdef0123456789abcdef");
        SnapshotSettings settings = SnapshotSettings.load(Compression.NONE, file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(settings::writeOptions)
                .isInstanceOf(SnapshotKeyException.class)
                .hasMessageStartingWith("key file " + file + " has mode rw-r--r-- (0644)");
    }

    @Test
    void without_a_key_snapshots_are_unsigned_and_only_unsigned_ones_are_read() throws IOException {
        SnapshotSettings settings = SnapshotSettings.load(Compression.NONE, null);

        assertThat(settings.writeOptions().key()).isNull();
        assertThat(settings.readOptions().key()).isNull();
        assertThat(settings.readOptions().checkMac()).isTrue();
    }

    @Test
    void warming_up_signs_with_a_throwaway_key_and_never_reads_the_key_file() throws IOException {
        Path file = key("0123456789abcdef0123456789abcdef");
        SnapshotSettings settings = SnapshotSettings.load(Compression.LZ4, file);
        Files.delete(file);

        WriteOptions warmUp = settings.warmUpOptions();

        assertThat(warmUp.key().source()).isEqualTo("warm-up");
        assertThat(warmUp.compression()).isEqualTo(Compression.LZ4);
    }
}
