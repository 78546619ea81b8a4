package dev.stasis.runtime.internal.criu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CriuBinaryTest {

    @TempDir
    Path dir;

    @Test
    void root_is_privileged_enough() {
        assertThat(CriuBinary.Privileges.parse(List.of("Uid:\t0\t0\t0\t0", "CapEff:\t0000000000000000")).sufficient())
                .isTrue();
    }

    @Test
    void another_user_needs_checkpoint_restore_and_sys_admin() {
        String uid = "Uid:\t1000\t1000\t1000\t1000";
        long both = (1L << 40) | (1L << 21);
        assertThat(CriuBinary.Privileges.parse(List.of(uid, "CapEff:\t" + Long.toHexString(both))).sufficient()).isTrue();
        assertThat(CriuBinary.Privileges.parse(List.of(uid, "CapEff:\t" + Long.toHexString(1L << 40))).sufficient()).isFalse();
        assertThat(CriuBinary.Privileges.parse(List.of(uid, "CapEff:\t0000000000000000")).sufficient()).isFalse();
    }

    @Test
    void the_effective_uid_counts() {
        assertThat(CriuBinary.Privileges.parse(List.of("Uid:\t1000\t0\t0\t0", "CapEff:\t0")).uid()).isZero();
    }

    @Test
    void a_missing_binary_is_named_with_what_to_do() {
        Path missing = dir.resolve("criu");
        assertThatThrownBy(() -> CriuBinary.locate(missing.toString()))
                .isInstanceOf(CriuUnavailableException.class)
                .hasMessage("the CRIU binary " + missing + " does not exist; give an existing one with criu=PATH, "
                        + "or set up CRIU 4.x with .ci/setup-criu (as root)");
    }

    @Test
    void a_name_not_on_the_path_is_refused() {
        assertThatThrownBy(() -> CriuBinary.locate("no-such-criu-anywhere"))
                .isInstanceOf(CriuUnavailableException.class)
                .hasMessageStartingWith("no 'no-such-criu-anywhere' on the PATH");
    }

    @Test
    void a_file_that_is_not_executable_is_refused() throws IOException {
        Path plain = Files.writeString(dir.resolve("criu"), "not a program");
        assertThatThrownBy(() -> CriuBinary.locate(plain.toString()))
                .isInstanceOf(CriuUnavailableException.class)
                .hasMessageContaining("is not an executable file");
    }

    @Test
    void a_failing_check_is_reported_with_its_last_lines() throws IOException {
        Path fake = FakeCriu.script(dir, "echo 'Error (vdso): Unexpected rt vDSO area bounds'; exit 1");
        assertThatThrownBy(() -> CriuBinary.locate(fake.toString()).checkUsable())
                .isInstanceOf(CriuUnavailableException.class)
                .hasMessageStartingWith("'" + fake + " check' failed (exit code 1): Error (vdso): Unexpected rt vDSO area bounds;");
    }
}
