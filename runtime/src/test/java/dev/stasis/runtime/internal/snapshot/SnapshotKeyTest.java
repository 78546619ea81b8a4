package dev.stasis.runtime.internal.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SnapshotKeyTest {
    @TempDir
    Path dir;

    private Path keyFile(byte[] content, String mode) throws IOException {
        Path file = dir.resolve("job.key");
        Files.write(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file.toRealPath();
    }

    @ParameterizedTest
    @CsvSource({"rw-------", "r--------"})
    void a_key_only_its_owner_can_read_is_loaded(String mode) throws Exception {
        Path file = keyFile(new byte[32], mode);

        SnapshotKey key = SnapshotKey.load(file);

        assertThat(key.source()).isEqualTo(file.toString());
        assertThat(key.toString()).isEqualTo("SnapshotKey[" + file + "]");
    }

    @ParameterizedTest
    @CsvSource({"rw-r--r--,0644", "rw-r-----,0640", "rw----r--,0604", "rw-----w-,0602", "rwx--x---,0710"})
    void a_key_group_or_others_may_use_is_refused_naming_file_and_mode_and_the_fix(String mode, String octal) throws Exception {
        Path file = keyFile(new byte[32], mode);

        assertThatThrownBy(() -> SnapshotKey.load(file))
                .isInstanceOf(SnapshotKeyException.class)
                .hasMessage("key file " + file + " has mode " + mode + " (" + octal + "): group or others may use it, and a"
                        + " key anyone else can read lets them forge snapshots; run chmod 600 " + file);
    }

    @Test
    void a_key_owned_by_another_user_is_refused() throws Exception {
        Path file = keyFile(new byte[32], "rw-------");
        UserPrincipal nobody;
        try {
            nobody = file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
            Files.setOwner(file, nobody);
        } catch (IOException e) {
            // Giving a file away takes root (the CI runs as root); elsewhere this case cannot be set up.
            Assumptions.abort("cannot give " + file + " to user nobody: " + e);
            return;
        }
        String me = System.getProperty("user.name");

        assertThatThrownBy(() -> SnapshotKey.load(file))
                .hasMessage("key file " + file + " is owned by nobody, not by " + me + " who runs this JVM: a key must"
                        + " belong to the user it protects; run chown " + me + " " + file);
    }

    @Test
    void a_missing_key_file_is_refused_with_how_to_make_one() {
        Path file = dir.resolve("none.key");

        assertThatThrownBy(() -> SnapshotKey.load(file))
                .isInstanceOf(SnapshotKeyException.class)
                .hasMessage("key file " + file + " does not exist: create it with '(umask 077 && head -c 32 /dev/urandom > "
                        + file + ")', or leave out key= to write unsigned snapshots");
    }

    @Test
    void an_empty_key_file_is_refused() throws Exception {
        Path file = keyFile(new byte[0], "rw-------");

        assertThatThrownBy(() -> SnapshotKey.load(file))
                .hasMessage("key file " + file + " is empty: put at least 16 random bytes in it, e.g. '(umask 077 && head -c 32"
                        + " /dev/urandom > " + file + ")'");
    }

    @Test
    void a_key_shorter_than_128_bits_is_refused() throws Exception {
        Path file = keyFile(new byte[15], "rw-------");

        assertThatThrownBy(() -> SnapshotKey.load(file))
                .hasMessageStartingWith("key file " + file + " holds only 15 bytes, a key needs at least 16: make a new one");
    }

    @Test
    void a_directory_is_not_a_key() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("keys"));
        Files.setPosixFilePermissions(sub, PosixFilePermissions.fromString("rwx------"));

        assertThatThrownBy(() -> SnapshotKey.load(sub))
                .hasMessageStartingWith("key file " + sub + " is not a regular file");
    }

    @Test
    void a_large_file_is_taken_for_a_wrong_path_not_a_key() throws Exception {
        Path file = keyFile(new byte[(64 << 10) + 1], "rw-------");

        assertThatThrownBy(() -> SnapshotKey.load(file))
                .hasMessageStartingWith("key file " + file + " is 65537 bytes long; a key is a few dozen bytes");
    }

    @Test
    void a_key_given_directly_must_be_long_enough_too() {
        assertThatThrownBy(() -> SnapshotKey.of(new byte[8], "test"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a key needs at least 16 bytes, test has 8");
    }
}
