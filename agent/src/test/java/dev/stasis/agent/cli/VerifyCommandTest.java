package dev.stasis.agent.cli;

import dev.stasis.agent.inspect.fixtures.Canary;
import dev.stasis.agent.inspect.fixtures.Fruit;
import dev.stasis.agent.instrument.CapturedSnapshots;
import dev.stasis.rt.Frame;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code verify} on real snapshots of an instrumented program captured in this JVM. */
class VerifyCommandTest {
    private static final String TARGET = "dev/stasis/agent/instrument/targets/InspectTarget";

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private CapturedSnapshots.Snapshot snapshot;

    @BeforeEach
    void capture() throws Exception {
        snapshot = CapturedSnapshots.inspectTarget(dir.resolve("snapshots"));
    }

    private int run(String... args) {
        return StasisCli.run(new PrintWriter(out), new PrintWriter(err), args);
    }

    private static String classPath() {
        return CapturedSnapshots.testClasses().toString();
    }

    @Test
    void a_valid_snapshot_is_ok_in_one_line() {
        int code = run("verify", snapshot.file().toString(), "--class-path", classPath());

        assertThat(code).as(err.toString()).isZero();
        assertThat(err.toString()).isEmpty();
        assertThat(out.toString()).isEqualTo("ok: " + snapshot.file() + ": snapshot 000001 of run run-inspect, 1 thread with "
                + "3 frames, the statics of 1 class, unsigned; the fingerprints of 1 class match the class path " + classPath()
                + System.lineSeparator());
    }

    @Test
    void reading_the_saved_objects_runs_no_static_initialiser_of_the_program() {
        // The capture initialised Canary and Fruit in this JVM's loader; their traces are cleared here.
        System.clearProperty(Canary.PROPERTY);
        System.clearProperty(Fruit.PROPERTY);

        assertThat(run("verify", snapshot.file().toString(), "-cp", classPath())).as(err.toString()).isZero();
        assertThat(run("inspect", snapshot.file().toString(), "-cp", classPath())).as(err.toString()).isZero();

        assertThat(out.toString()).as("the canary and the enum were read")
                .contains("canary: dev.stasis.agent.inspect.fixtures.Canary = dev.stasis.agent.inspect.fixtures.Canary#")
                .contains("= dev.stasis.agent.inspect.fixtures.Fruit.BANANA");
        assertThat(System.getProperty(Canary.PROPERTY)).as("Canary's static initialiser ran").isNull();
        assertThat(System.getProperty(Fruit.PROPERTY)).as("Fruit's static initialiser ran").isNull();
    }

    @Test
    void a_damaged_block_is_refused_with_the_offset_of_the_block() throws IOException {
        long firstBlock = firstDataBlock(snapshot.file());
        flipByte(snapshot.file(), firstBlock + 9 + 20);

        int code = run("verify", snapshot.file().toString(), "-cp", classPath());

        assertThat(code).isEqualTo(1);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).startsWith("stasis: verify " + snapshot.file() + " failed: snapshot " + snapshot.file()
                + " is unusable at byte offset " + firstBlock + ": CRC32C mismatch in data block #0 at offsets " + firstBlock + "..");
    }

    @Test
    void a_truncated_file_is_refused_even_with_file_only() throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(snapshot.file().toFile(), "rw")) {
            file.setLength(file.length() - 5);
        }

        int code = run("verify", "--file-only", snapshot.file().toString());

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).startsWith("stasis: verify " + snapshot.file() + " failed: snapshot " + snapshot.file()
                + " is unusable at byte offset ");
    }

    @Test
    void file_only_checks_without_classes() {
        int code = run("verify", "--file-only", snapshot.file().toString());

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).isEqualTo("ok: " + snapshot.file() + ": snapshot 000001 of run run-inspect: header, "
                + "manifest, 1 block, trailer intact, unsigned (classes not checked)" + System.lineSeparator());
    }

    @Test
    void a_missing_file_says_so() {
        Path missing = dir.resolve("snapshot-000009.stasis");

        assertThat(run("verify", missing.toString())).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("stasis: verify " + missing + " failed: no such file" + System.lineSeparator());
    }

    @Test
    void a_class_changed_since_the_snapshot_is_named() throws IOException {
        Path changed = dir.resolve("changed");
        Path classFile = changed.resolve(TARGET + ".class");
        Files.createDirectories(classFile.getParent());
        Files.write(classFile, withExtraField(Files.readAllBytes(CapturedSnapshots.testClasses().resolve(TARGET + ".class"))));
        String classPath = changed + File.pathSeparator + classPath();

        int code = run("verify", snapshot.file().toString(), "--class-path", classPath);

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("stasis: verify " + snapshot.file() + " failed: snapshot 000001 was taken with "
                + "different classes: " + TARGET + " (changed). Start fresh with restore=never, or restore the old classes. "
                + "(class path: " + classPath + ")" + System.lineSeparator());
    }

    @Test
    void a_class_missing_from_the_class_path_is_named() {
        Path empty = dir.resolve("snapshots");

        assertThat(run("verify", snapshot.file().toString(), "-cp", empty.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("different classes: " + TARGET + " (missing)");
    }

    @Test
    void a_class_of_the_saved_objects_that_cannot_be_loaded_is_named() throws IOException {
        String classPath = classPathWithBrokenCanary(dir) + File.pathSeparator + classPath();

        assertThat(run("verify", snapshot.file().toString(), "-cp", classPath)).isEqualTo(1);
        assertThat(err.toString()).startsWith("stasis: verify " + snapshot.file() + " failed: ")
                .contains("cannot be loaded from the class path: java.lang.ClassFormatError: the class file of "
                        + "dev.stasis.agent.inspect.fixtures.Canary on the class path cannot be read");
    }

    @Test
    void a_class_path_entry_that_does_not_exist_is_named() {
        String missing = dir.resolve("app.jar").toString();

        assertThat(run("verify", snapshot.file().toString(), "-cp", missing)).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("stasis: verify " + snapshot.file() + " failed: class path entry " + missing
                + " does not exist; give the program's class path with --class-path" + System.lineSeparator());
    }

    @Test
    void a_frame_that_the_code_would_not_save_at_its_point_is_refused() throws Exception {
        Path other = dir.resolve("other");
        CapturedSnapshots.Snapshot odd = CapturedSnapshots.inspectTarget(other, frames -> {
            List<Frame> edited = new ArrayList<>(frames);
            Frame top = frames.get(0);
            Frame wider = new Frame(top.method, top.point, top.ints.length + 1, top.longs.length, top.floats.length,
                    top.doubles.length, top.refs.length);
            edited.set(0, wider);
            return edited;
        });

        assertThat(run("verify", odd.file().toString(), "-cp", classPath())).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("stasis: verify " + odd.file() + " failed: thread main, frame " + TARGET
                + ".pause(I)I @0: the frame holds 2 ints but the code on the class path saves 1 at point 0: the snapshot was"
                + " taken by another agent version" + System.lineSeparator());
    }

    @Test
    void verify_without_a_snapshot_is_a_usage_error() {
        assertThat(run("verify")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required parameter: '<snapshot>'");
    }

    /** Where the data blocks start (docs/FORMAT.md): after the 20-byte header, the manifest and its checksum. */
    static long firstDataBlock(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            f.seek(16);
            return 24L + f.readInt();
        }
    }

    static void flipByte(Path file, long offset) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0x5A);
        }
    }

    /**
     * A class path entry whose Canary class file is not a class file. (A class simply missing from
     * the class path is found by Kryo's fallback to its own loader when the CLI runs in the test
     * JVM; CliJarIT covers that case with the real jar.)
     */
    static Path classPathWithBrokenCanary(Path dir) throws IOException {
        Path broken = dir.resolve("broken");
        Path classFile = broken.resolve("dev/stasis/agent/inspect/fixtures/Canary.class");
        Files.createDirectories(classFile.getParent());
        Files.writeString(classFile, "not a class file");
        return broken;
    }

    /** The same class with one more field: loadable, with another fingerprint. */
    static byte[] withExtraField(byte[] classBytes) {
        ClassReader reader = new ClassReader(classBytes);
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(writer, 0);
        writer.visitField(Opcodes.ACC_STATIC, "added", "I", null, null).visitEnd();
        return writer.toByteArray();
    }
}
