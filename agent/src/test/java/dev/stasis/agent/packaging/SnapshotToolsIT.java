package dev.stasis.agent.packaging;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code java -jar stasis-agent.jar verify|inspect} on a snapshot that the agent took of a real
 * program (SIGTERM with {@code onterm=checkpoint}), on each JDK: the jar opens what reading needs
 * by itself, and no static initialiser of the program runs in the tool's JVM.
 */
class SnapshotToolsIT {
    private static final String WORKER = """
            import java.nio.file.Files;
            import java.nio.file.Path;
            import java.nio.file.StandardOpenOption;
            import java.util.ArrayList;
            import java.util.List;

            public class Worker {
                static Tally tally = new Tally();

                static class Tally {
                    static {
                        try {
                            Files.writeString(Path.of("clinit.log"), "Tally initialised\\n", StandardOpenOption.CREATE,
                                    StandardOpenOption.APPEND);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }

                    long rounds;
                }

                public static void main(String[] args) throws Exception {
                    List<String> names = new ArrayList<>(List.of("ann", "bob"));
                    System.out.println("ready");
                    for (int i = 0; i < 1200; i++) {
                        tally.rounds += names.get(i % 2).length();
                        Thread.sleep(100);
                    }
                }
            }
            """;

    @TempDir
    Path dir;
    private Process process;

    static Stream<String> javas() {
        return JavaRun.javas();
    }

    @BeforeEach
    void compile() throws IOException {
        JavaRun.compile(dir, "Worker", WORKER);
    }

    @AfterEach
    void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor();
        }
    }

    /** Runs Worker under the agent, lets it loop a little, and has it checkpoint on SIGTERM. */
    private Path snapshotOfWorker(String java) throws Exception {
        Path snapshots = dir.resolve("snaps");
        process = new ProcessBuilder(java, "-javaagent:" + JavaRun.agentJar().toAbsolutePath() + "=dir=" + snapshots
                + ",onterm=checkpoint", "-cp", ".", "Worker")
                .directory(dir.toFile()).redirectError(dir.resolve("worker-stderr.txt").toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("ready");
        Thread.sleep(300);
        assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor()).isZero();
        assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(Files.readString(dir.resolve("worker-stderr.txt"))).isEqualTo(143);
        Path snapshot = snapshots.resolve("snapshot-000001.stasis");
        assertThat(snapshot).isRegularFile();
        return snapshot;
    }

    private JavaRun.Result stasis(String java, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(java, "-jar", JavaRun.agentJar().toAbsolutePath().toString()));
        command.addAll(List.of(args));
        return JavaRun.run(dir, command);
    }

    @ParameterizedTest
    @MethodSource("javas")
    void verify_and_inspect_read_a_real_snapshot_without_running_the_programs_initialisers(String java) throws Exception {
        Path snapshot = snapshotOfWorker(java);
        assertThat(Files.readAllLines(dir.resolve("clinit.log"))).as("the run itself initialised Tally").hasSize(1);

        JavaRun.Result verify = stasis(java, "verify", snapshot.toString());
        JavaRun.Result inspect = stasis(java, "inspect", snapshot.toString());

        assertThat(verify.exitCode()).as(verify.stderr()).isZero();
        assertThat(verify.stderr()).isEmpty();
        assertThat(verify.stdout()).startsWith("ok: " + snapshot + ": snapshot 000001 of run ")
                .contains(", 1 thread with 1 frame, ")
                .as("the class path the run recorded (-cp . in its working directory)")
                .endsWith(" match the class path " + dir.toRealPath() + System.lineSeparator());
        assertThat(inspect.exitCode()).as(inspect.stderr()).isZero();
        assertThat(inspect.stderr()).isEmpty();
        assertThat(inspect.stdout()).contains("  main class      Worker")
                .contains("  user.dir        " + dir.toRealPath())
                .containsPattern("  at Worker\\.main\\(Worker\\.java:\\d+\\)  point \\d+")
                // JavaRun compiles without -g: no LocalVariableTable, so locals go by slot and analysed type.
                .containsPattern("      local1: java\\.util\\.ArrayList = java\\.util\\.ArrayList#\\d+ \\(size 2\\)")
                .containsPattern("      local2: int = \\d+")
                .containsPattern("      tally: Worker\\$Tally = Worker\\$Tally#\\d+")
                .containsPattern("  +\\d+  +1  Worker\\$Tally");
        assertThat(Files.readAllLines(dir.resolve("clinit.log"))).as("no initialiser ran in the tools").hasSize(1);
    }

    @ParameterizedTest
    @MethodSource("javas")
    void without_the_programs_classes_verify_names_them_and_inspect_shows_the_manifest(String java) throws Exception {
        Path snapshot = snapshotOfWorker(java);
        Path empty = Files.createDirectory(dir.resolve("empty"));

        JavaRun.Result verify = stasis(java, "verify", snapshot.toString(), "--class-path", empty.toString());
        JavaRun.Result inspect = stasis(java, "inspect", "--json", snapshot.toString(), "--class-path", empty.toString());

        assertThat(verify.exitCode()).isEqualTo(1);
        assertThat(verify.stderr()).startsWith("stasis: verify " + snapshot + " failed: snapshot 000001 was taken with "
                + "different classes: ").contains("Worker (missing)");
        assertThat(inspect.exitCode()).isEqualTo(1);
        assertThat(inspect.stdout()).contains("\"mainClass\": \"Worker\"").contains("\"error\": \"");
        assertThat(inspect.stderr()).startsWith("stasis: inspect " + snapshot + ": the saved objects cannot be read: ")
                .contains("Worker");
    }
}
