package dev.stasis.runtime.internal.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stasis.runtime.internal.snapshot.SnapshotFormatException.Kind;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignedSnapshotTest {
    private static final SnapshotKey KEY = SnapshotKey.of("0123456789abcdef0123456789abcdef".getBytes(), "/keys/a.key");
    private static final SnapshotKey OTHER_KEY = SnapshotKey.of("fedcba9876543210fedcba9876543210".getBytes(), "/keys/b.key");
    private static final ReadOptions WITH_KEY = ReadOptions.defaults().withKey(KEY);

    @TempDir
    Path dir;

    private Path signed() throws IOException {
        Path file = dir.resolve("signed.stasis");
        try (OutputStream out = Files.newOutputStream(file)) {
            SnapshotCodec.write(out, Snapshots.manifest(), Snapshots.frameHolding("payday", 42L),
                    WriteOptions.defaults().withKey(KEY));
        }
        return file;
    }

    private Path copyWith(byte[] bytes) throws IOException {
        return Files.write(dir.resolve("altered-" + System.nanoTime() + ".stasis"), bytes);
    }

    private static Kind kindOf(Throwable e) {
        return ((SnapshotFormatException) e).kind();
    }

    @Test
    void a_signed_snapshot_reads_back_with_its_key() throws IOException {
        Path file = signed();

        VerifiedSnapshot checked = SnapshotCodec.verify(file, WITH_KEY);

        assertThat(checked.signed()).isTrue();
        assertThat(checked.authenticated()).isTrue();
        assertThat(checked.manifest()).isEqualTo(Snapshots.manifest());
        assertThat(SnapshotCodec.readContent(file, getClass().getClassLoader(), WITH_KEY).threads().get(0).frames().get(0).refs)
                .containsExactly("payday", 42L);
    }

    @Test
    void a_signed_snapshot_read_without_a_key_is_refused_saying_which_key_to_give() throws IOException {
        Path file = signed();

        assertThatThrownBy(() -> SnapshotCodec.readManifest(file))
                .hasMessage("snapshot " + file + " is unusable at byte offset 12: it is signed with an HMAC-SHA256 key, and"
                        + " no key is configured to check it: give the key file it was written with (agent option key=PATH)")
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(Kind.NOT_AUTHENTIC));
    }

    @Test
    void an_unsigned_snapshot_read_with_a_key_is_refused() throws IOException {
        Path file = Snapshots.write(dir.resolve("unsigned.stasis"), Snapshots.frameHolding("x"));

        assertThatThrownBy(() -> SnapshotCodec.readContent(file, getClass().getClassLoader(), WITH_KEY))
                .hasMessage("snapshot " + file + " is unusable at byte offset 12: it is not signed, and a key is configured"
                        + " (/keys/a.key), so only snapshots signed with that key are accepted: it was written without key=,"
                        + " or its signature was removed; drop key= only if you trust this file")
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(Kind.NOT_AUTHENTIC));
    }

    @Test
    void a_snapshot_signed_with_another_key_is_refused_at_the_mac() throws IOException {
        Path file = signed();
        long macOffset = Files.size(file) - 8 - 32;

        assertThatThrownBy(() -> SnapshotCodec.readManifest(file, ReadOptions.defaults().withKey(OTHER_KEY)))
                .hasMessage("snapshot " + file + " is unusable at byte offset " + macOffset + ": HMAC-SHA256 mismatch: it was"
                        + " not written with the key in /keys/b.key, or it was altered after it was written; refused before"
                        + " any object was read")
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(Kind.NOT_AUTHENTIC));
    }

    @Test
    void an_altered_manifest_with_a_repaired_checksum_passes_the_crc_but_not_the_mac() throws IOException {
        byte[] bytes = Files.readAllBytes(signed());
        byte[] main = "a.Main".getBytes(StandardCharsets.UTF_8);
        int at = indexOf(bytes, main);
        bytes[at + 3] = 'e';
        SnapshotBytes.fixHeaderCrc(bytes);
        Path file = copyWith(bytes);

        assertThat(SnapshotCodec.readManifest(file, ReadOptions.defaults().ignoringMac()).mainClass())
                .as("checksums alone cannot tell a forgery").isEqualTo("a.Mein");
        assertThatThrownBy(() -> SnapshotCodec.readManifest(file, WITH_KEY))
                .hasMessageContaining(": HMAC-SHA256 mismatch: it was not written with the key in /keys/a.key, or it was"
                        + " altered after it was written;");
    }

    @Test
    void a_flipped_bit_in_the_mac_is_refused() throws IOException {
        byte[] bytes = Files.readAllBytes(signed());
        bytes[bytes.length - 8 - 1] ^= 0x04;
        Path file = copyWith(bytes);

        assertThatThrownBy(() -> SnapshotCodec.readManifest(file, WITH_KEY)).hasMessageContaining(": HMAC-SHA256 mismatch: ");
    }

    @Test
    void a_stripped_signature_is_refused_by_a_reader_with_a_key() throws IOException {
        byte[] bytes = Files.readAllBytes(signed());
        ByteBuffer.wrap(bytes).putInt(SnapshotLayout.FLAGS_OFFSET, 0);
        SnapshotBytes.fixHeaderCrc(bytes);
        byte[] stripped = new byte[bytes.length - 32];
        System.arraycopy(bytes, 0, stripped, 0, bytes.length - 8 - 32);
        System.arraycopy(bytes, bytes.length - 8, stripped, stripped.length - 8, 8);
        Path file = copyWith(stripped);

        assertThat(SnapshotCodec.readManifest(file)).as("an intact unsigned file to a reader without a key").isNotNull();
        assertThatThrownBy(() -> SnapshotCodec.readManifest(file, WITH_KEY))
                .hasMessageContaining(": it is not signed, and a key is configured (/keys/a.key)");
    }

    @Test
    void ignoring_the_mac_checks_integrity_only_and_says_so() throws IOException {
        Path file = signed();

        VerifiedSnapshot checked = SnapshotCodec.verify(file, ReadOptions.defaults().ignoringMac());

        assertThat(checked.signed()).isTrue();
        assertThat(checked.authenticated()).isFalse();
    }

    @Test
    void the_signature_adds_32_bytes_and_changes_nothing_else_but_the_flag_and_header_checksum() throws IOException {
        byte[] signed = Files.readAllBytes(signed());
        byte[] plain = Files.readAllBytes(Snapshots.write(dir.resolve("plain.stasis"), Snapshots.frameHolding("payday", 42L)));

        assertThat(signed.length).isEqualTo(plain.length + 32);
        int headerCrc = SnapshotBytes.headerCrcOffset(plain);
        assertThat(Arrays.equals(signed, headerCrc + 4, plain.length - 8, plain, headerCrc + 4, plain.length - 8)).isTrue();
        assertThat(ByteBuffer.wrap(signed).getInt(SnapshotLayout.FLAGS_OFFSET)).isEqualTo(SnapshotLayout.FLAG_HMAC);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }
}
