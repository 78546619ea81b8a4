package dev.stasis.agent.cli;

import dev.stasis.agent.instrument.CapturedSnapshots;
import dev.stasis.runtime.Compression;
import dev.stasis.runtime.internal.snapshot.SnapshotKey;
import dev.stasis.runtime.internal.snapshot.WriteOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code verify} and {@code inspect} on a snapshot signed with an HMAC key and LZ4-compressed. */
class SignedSnapshotToolsTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private Path keyFile;
    private CapturedSnapshots.Snapshot snapshot;

    @BeforeEach
    void captureSigned() throws Exception {
        keyFile = key(dir.resolve("snapshot.key"));
        snapshot = CapturedSnapshots.inspectTarget(dir.resolve("snapshots"), WriteOptions.defaults()
                .withKey(SnapshotKey.load(keyFile)).withCompression(Compression.LZ4));
    }

    private static Path key(Path file) throws Exception {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        Files.write(file, bytes);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private int run(String... args) {
        return StasisCli.run(new PrintWriter(out), new PrintWriter(err), args);
    }

    private static String classPath() {
        return CapturedSnapshots.testClasses().toString();
    }

    @Test
    void verify_with_the_key_checks_the_signature() {
        int code = run("verify", snapshot.file().toString(), "-cp", classPath(), "--key", keyFile.toString());

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("ok: ").contains(", signature checked; ");
    }

    @Test
    void verify_without_the_key_refuses_it_as_a_resume_would() {
        assertThat(run("verify", snapshot.file().toString(), "-cp", classPath())).isEqualTo(1);
        assertThat(err.toString()).startsWith("stasis: verify " + snapshot.file() + " failed: ")
                .contains("it is signed with an HMAC-SHA256 key, and no key is configured to check it");
    }

    @Test
    void verify_with_another_key_refuses_it() throws Exception {
        Path other = key(dir.resolve("other.key"));

        assertThat(run("verify", snapshot.file().toString(), "-cp", classPath(), "--key", other.toString())).isEqualTo(1);
        assertThat(err.toString()).startsWith("stasis: verify " + snapshot.file() + " failed: ").contains(other.toString());
    }

    @Test
    void inspect_without_the_key_reads_it_and_says_the_signature_was_not_checked() {
        int code = run("inspect", snapshot.file().toString(), "-cp", classPath());

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("  signature       signed, signature not checked (give --key)")
                .contains("      counter: int = 2")
                .contains(String.format("objects by class: 18 objects, %,d bytes of object data" + System.lineSeparator(),
                        snapshot.payloadBytes()));
    }

    @Test
    void a_key_file_others_may_read_is_refused_before_anything_is_read() throws Exception {
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(run("inspect", snapshot.file().toString(), "--key", keyFile.toString())).isEqualTo(1);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).startsWith("stasis: inspect " + snapshot.file() + " failed: key file ")
                .contains("has mode rw-r--r--");
    }
}
