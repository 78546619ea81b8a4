package dev.stasis.agent.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.stasis.agent.instrument.CapturedSnapshots;
import dev.stasis.runtime.internal.snapshot.Manifest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code inspect} on a real snapshot of {@code InspectTarget}, stopped in {@code pause(1)} during round 1. */
class InspectCommandTest {
    private static final String TARGET = "dev.stasis.agent.instrument.targets.InspectTarget";
    private static final String SOURCE = "src/test/java/" + TARGET.replace('.', '/') + ".java";

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
    void shows_each_frame_as_a_stack_trace_line_with_its_named_locals_and_stack() throws IOException {
        assertThat(run("inspect", snapshot.file().toString(), "-cp", classPath())).as(err.toString()).isZero();

        String text = out.toString();
        String n = System.lineSeparator();
        assertThat(text).contains("thread \"main\" (priority 5, 3 frames)" + n
                + "  at " + TARGET + ".pause(InspectTarget.java:" + lineOf("int x = 0;") + ")  point 0" + n
                + "      i: int = 1" + n
                + "  at " + TARGET + ".work(InspectTarget.java:" + lineOf("sum += pause(i);") + ")  point ");
        assertThat(text).contains(n + "      round: int = 1" + n + "      i: int = 1" + n);
        assertThat(text).contains("      (argument 0 of pause): int = 1" + n + "      stack[0]: long = 0" + n,
                "  at " + TARGET + ".run(InspectTarget.java:" + lineOf("total += work(round, greeting);") + ")  point ");
        assertThat(text).containsPattern("      greeting: java.lang.String = \"hello \\\\\"world\\\\\"\\\\n\"" + n)
                .containsPattern("      primes: int\\[\\] = int\\[7\\]#\\d+ \\{2, 3, 5, 7, 11, \\.\\.\\.\\}" + n)
                .contains("      stack[0]: long = 1" + n);
    }

    @Test
    void shows_the_manifest_the_statics_and_the_objects_by_class() {
        assertThat(run("inspect", snapshot.file().toString(), "-cp", classPath(), "--top", "3")).as(err.toString()).isZero();

        String text = out.toString();
        String n = System.lineSeparator();
        assertThat(text).startsWith("snapshot 000001  " + snapshot.file() + "  (" + String.format("%,d", fileSize()) + " bytes)" + n
                + "  format          " + Manifest.FORMAT_VERSION + n);
        assertThat(text).containsPattern(String.format("  data            1 block, %,d bytes of object data, \\d+ classes named",
                snapshot.payloadBytes()) + n + "  signature       unsigned" + n
                + "  run             run-inspect" + n
                + "  taken           2026-11-18T11:06:40Z" + n
                + "  agent           test" + n);
        assertThat(text).contains("  main class      " + TARGET + n + "  arguments       --fast" + n + "  threads         main:3" + n);
        assertThat(text).contains("static fields (1 class)" + n + "  " + TARGET + n)
                .containsPattern("      canary: dev.stasis.agent.inspect.fixtures.Canary = dev.stasis.agent.inspect.fixtures.Canary#\\d+" + n)
                .containsPattern("      NAMES: java.util.List = java.util.ArrayList#\\d+ \\(size 2\\)" + n)
                .contains("      favourite: dev.stasis.agent.inspect.fixtures.Fruit = dev.stasis.agent.inspect.fixtures.Fruit.BANANA" + n)
                .contains("      counter: int = 2" + n)
                .containsPattern("      scores: java.util.Map = java.util.HashMap#\\d+ \\(size 1\\)" + n);
        assertThat(text).contains(String.format("objects by class: %,d objects, %,d bytes of object data" + n,
                18, snapshot.payloadBytes()));
        assertThat(text).containsPattern("  +[\\d,]+  +3  dev.stasis.rt.Frame" + n)
                .containsPattern("\\(\\d+ more classes; --top 0 lists all\\)" + n);
    }

    @Test
    void shows_the_recorded_properties_and_only_the_names_of_environment_variables() {
        assertThat(run("inspect", snapshot.file().toString(), "-cp", classPath())).as(err.toString()).isZero();

        String n = System.lineSeparator();
        Path workingDirectory = CapturedSnapshots.testClasses().getParent();
        assertThat(out.toString()).contains("  java.class.path  " + workingDirectory.relativize(CapturedSnapshots.testClasses()) + n
                        + "  user.dir        " + workingDirectory + n
                        + "  environment     1 variable (names and salted SHA-256 digests only): STASIS_SECRET" + n)
                .doesNotContain("do-not-print");
    }

    @Test
    void without_a_class_path_it_reads_the_classes_from_the_recorded_one_resolved_in_the_recorded_directory() {
        assertThat(run("inspect", snapshot.file().toString())).as(err.toString()).isZero();

        assertThat(out.toString()).contains("  class path      " + CapturedSnapshots.testClasses())
                .contains("      i: int = 1");
    }

    @Test
    void json_has_the_same_content_for_tools() throws IOException {
        assertThat(run("inspect", "--json", snapshot.file().toString(), "-cp", classPath())).as(err.toString()).isZero();

        JsonObject json = JsonParser.parseString(out.toString()).getAsJsonObject();
        assertThat(json.get("error").isJsonNull()).isTrue();
        JsonObject manifest = json.getAsJsonObject("manifest");
        assertThat(manifest.get("snapshotId").getAsString()).isEqualTo("000001");
        assertThat(manifest.get("mainClass").getAsString()).isEqualTo(TARGET);
        assertThat(manifest.getAsJsonObject("fingerprints").keySet()).containsExactly(TARGET.replace('.', '/'));
        assertThat(manifest.getAsJsonObject("systemProperties").get("user.dir").getAsString())
                .isEqualTo(CapturedSnapshots.testClasses().getParent().toString());
        assertThat(manifest.get("environmentSalt").getAsString()).isEqualTo(CapturedSnapshots.recordedEnvironment().salt());
        assertThat(manifest.getAsJsonObject("environmentDigests").get("STASIS_SECRET").getAsString())
                .isEqualTo(CapturedSnapshots.recordedEnvironment().environment().get("STASIS_SECRET"));

        JsonArray frames = json.getAsJsonArray("threads").get(0).getAsJsonObject().getAsJsonArray("frames");
        assertThat(frames).hasSize(3);
        JsonObject work = frames.get(1).getAsJsonObject();
        assertThat(work.get("name").getAsString()).isEqualTo("work");
        assertThat(work.get("line").getAsInt()).isEqualTo(lineOf("sum += pause(i);"));
        assertThat(work.get("layoutProblem").isJsonNull()).isTrue();
        Map<String, JsonObject> locals = byName(work.getAsJsonArray("locals"));
        assertThat(locals.keySet()).contains("round", "i").doesNotContain("text", "sum");
        assertThat(locals.get("round").getAsJsonObject("value").get("value").getAsInt()).isEqualTo(1);
        assertThat(locals.get("(argument 0 of pause)").get("synthetic").getAsBoolean()).isTrue();
        JsonObject stackTop = work.getAsJsonArray("stack").get(0).getAsJsonObject();
        assertThat(stackTop.get("type").getAsString()).isEqualTo("long");
        assertThat(stackTop.getAsJsonObject("value").get("value").getAsLong()).isZero();

        JsonObject greeting = byName(frames.get(2).getAsJsonObject().getAsJsonArray("locals")).get("greeting").getAsJsonObject("value");
        assertThat(greeting.get("kind").getAsString()).isEqualTo("string");
        assertThat(greeting.get("value").getAsString()).isEqualTo("hello \"world\"\n");

        Map<String, JsonObject> statics = byName(json.getAsJsonArray("statics").get(0).getAsJsonObject().getAsJsonArray("fields"));
        assertThat(statics.get("counter").getAsJsonObject("value").get("value").getAsInt()).isEqualTo(2);
        assertThat(statics.get("NAMES").getAsJsonObject("value").get("size").getAsInt()).isEqualTo(2);
        assertThat(statics.get("favourite").getAsJsonObject("value").get("kind").getAsString()).isEqualTo("enum");

        assertThat(json.get("payloadBytes").getAsLong()).isEqualTo(snapshot.payloadBytes());
        assertThat(json.get("signed").getAsBoolean()).isFalse();
        assertThat(json.getAsJsonArray("classNames").toString()).contains("dev.stasis.agent.inspect.fixtures.Canary");
        JsonObject histogram = json.getAsJsonObject("histogram");
        assertThat(histogram.get("bytes").getAsLong()).as("the payload, measured again").isEqualTo(snapshot.payloadBytes());
        long sum = 0;
        Map<String, Long> objects = new HashMap<>();
        for (JsonElement row : histogram.getAsJsonArray("classes")) {
            sum += row.getAsJsonObject().get("bytes").getAsLong();
            objects.put(row.getAsJsonObject().get("class").getAsString(), row.getAsJsonObject().get("objects").getAsLong());
        }
        assertThat(sum).isLessThanOrEqualTo(snapshot.payloadBytes()).isGreaterThan(snapshot.payloadBytes() - 8);
        assertThat(objects).containsEntry("dev.stasis.rt.Frame", 3L).containsEntry("int[]", 1L)
                .containsEntry("java.util.HashMap", 1L).containsEntry("dev.stasis.agent.inspect.fixtures.Canary", 1L);
    }

    @Test
    void a_changed_class_keeps_its_frames_raw_instead_of_mislabelling_them() throws IOException {
        Path changed = dir.resolve("changed");
        Path classFile = changed.resolve(TARGET.replace('.', '/') + ".class");
        Files.createDirectories(classFile.getParent());
        Files.write(classFile, VerifyCommandTest.withExtraField(Files.readAllBytes(
                CapturedSnapshots.testClasses().resolve(TARGET.replace('.', '/') + ".class"))));

        int code = run("inspect", snapshot.file().toString(), "-cp", changed + File.pathSeparator + classPath());

        assertThat(code).as(err.toString()).isZero();
        String n = System.lineSeparator();
        assertThat(out.toString()).contains("  at " + TARGET + ".pause(Unknown Source)  point 0" + n
                + "      (raw slots: class " + TARGET.replace('.', '/') + " on the class path is not the one the snapshot was"
                + " taken with)" + n + "      ints[0]: int = 1" + n);
    }

    @Test
    void when_a_class_of_the_saved_objects_cannot_be_loaded_it_shows_the_manifest_and_fails() throws IOException {
        String classPath = VerifyCommandTest.classPathWithBrokenCanary(dir) + File.pathSeparator + classPath();

        int code = run("inspect", snapshot.file().toString(), "-cp", classPath);

        assertThat(code).isEqualTo(1);
        assertThat(out.toString()).startsWith("snapshot 000001  ").contains("  main class      " + TARGET)
                .contains("the saved objects cannot be read: ");
        assertThat(err.toString()).startsWith("stasis: inspect " + snapshot.file() + ": the saved objects cannot be read: ")
                .contains("cannot be loaded from the class path: java.lang.ClassFormatError: the class file of "
                        + "dev.stasis.agent.inspect.fixtures.Canary on the class path cannot be read");
    }

    @Test
    void a_damaged_file_is_not_inspected() throws IOException {
        VerifyCommandTest.flipByte(snapshot.file(), 13);

        assertThat(run("inspect", snapshot.file().toString(), "-cp", classPath())).isEqualTo(1);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).startsWith("stasis: inspect " + snapshot.file() + " failed: snapshot " + snapshot.file()
                + " is unusable at byte offset ");
    }

    private static Map<String, JsonObject> byName(JsonArray variables) {
        Map<String, JsonObject> named = new HashMap<>();
        for (JsonElement variable : variables) {
            named.put(variable.getAsJsonObject().get("name").getAsString(), variable.getAsJsonObject());
        }
        return named;
    }

    private long fileSize() {
        try {
            return Files.size(snapshot.file());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int lineOf(String code) throws IOException {
        List<String> lines = Files.readAllLines(Path.of(SOURCE));
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(code)) {
                return i + 1;
            }
        }
        throw new AssertionError(code + " is not in " + SOURCE);
    }
}
