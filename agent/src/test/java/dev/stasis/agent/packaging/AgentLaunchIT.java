package dev.stasis.agent.packaging;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The built jar as a user runs it: {@code java -javaagent:stasis-agent.jar[=options] ...}. */
class AgentLaunchIT {
    @TempDir
    Path dir;

    static Stream<String> javas() {
        return JavaRun.javas();
    }

    private static final String HELLO = """
            public class Hello {
                public static void main(String[] args) {
                    long sum = 0;
                    for (int i = 0; i < 1000; i++) {
                        sum += i;
                    }
                    System.out.println("hello " + sum);
                }
            }
            """;

    private static final String PROBE = """
            public class Probe {
                public static void main(String[] args) throws Exception {
                    System.out.println("rt loader: " + Class.forName("dev.stasis.rt.Stasis").getClassLoader());
                    System.out.println("sun.nio.ch open: " + Object.class.getModule().isOpen("sun.nio.ch", Probe.class.getModule()));
                }
            }
            """;

    @ParameterizedTest
    @MethodSource("javas")
    void a_bad_option_stops_the_launch_with_exit_code_2_before_main(String java) throws Exception {
        JavaRun.compile(dir, "Hello", HELLO);

        JavaRun.Result r = JavaRun.run(dir, List.of(java, "-javaagent:" + JavaRun.agentJar().toAbsolutePath() + "=keep=2,foo=1",
                "-cp", dir.toString(), "Hello"));

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).isEqualTo("stasis: unknown option 'foo' in -javaagent options; valid options: "
                + "dir, restore, interval, onterm, timeout, keep, include, exclude, compress, key, rebind, changedInputs, engine, criu" + System.lineSeparator());
    }

    @ParameterizedTest
    @MethodSource("javas")
    void a_bad_value_stops_the_launch_with_an_example(String java) throws Exception {
        JavaRun.compile(dir, "Hello", HELLO);

        JavaRun.Result r = JavaRun.run(dir, List.of(java, "-javaagent:" + JavaRun.agentJar().toAbsolutePath() + "=interval=often",
                "-cp", dir.toString(), "Hello"));

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).isEqualTo("stasis: bad value for option 'interval' in -javaagent options: 'often' is not a duration; "
                + "write a number and a unit: 500ms, 30s, 5m or 1h; e.g. interval=30s" + System.lineSeparator());
    }

    @ParameterizedTest
    @MethodSource("javas")
    void puts_the_runtime_api_in_the_bootstrap_loader_and_opens_java_base(String java) throws Exception {
        JavaRun.compile(dir, "Probe", PROBE);

        JavaRun.Result r = JavaRun.run(dir, List.of(java, "-javaagent:" + JavaRun.agentJar().toAbsolutePath(),
                "-cp", dir.toString(), "Probe"));

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEqualTo("rt loader: null" + System.lineSeparator() + "sun.nio.ch open: true" + System.lineSeparator());
    }

    @ParameterizedTest
    @MethodSource("javas")
    void a_small_program_runs_to_its_normal_end(String java) throws Exception {
        JavaRun.compile(dir, "Hello", HELLO);

        JavaRun.Result r = JavaRun.run(dir, List.of(java, "-javaagent:" + JavaRun.agentJar().toAbsolutePath(),
                "-cp", dir.toString(), "Hello"));

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEqualTo("hello 499500" + System.lineSeparator());
        // Nothing from the JVM either, e.g. its class-data-sharing warning about an appended boot class path.
        assertThat(r.stderr()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("javas")
    void an_unusable_snapshot_directory_stops_the_launch_with_exit_code_2(String java) throws Exception {
        JavaRun.compile(dir, "Hello", HELLO);
        Files.writeString(dir.resolve("taken"), "a file, not a directory");

        JavaRun.Result r = JavaRun.run(dir, List.of(java, "-javaagent:" + JavaRun.agentJar().toAbsolutePath() + "=dir=taken",
                "-cp", dir.toString(), "Hello"));

        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
        assertThat(r.stdout()).as("the program must not start without the snapshots it was asked to keep").isEmpty();
        assertThat(r.stderr()).startsWith("stasis: cannot open the snapshot directory ")
                .contains("taken", "dir=").hasLineCount(1);
    }

    @ParameterizedTest
    @MethodSource("javas")
    void a_key_file_others_can_read_stops_the_launch_with_exit_code_2_and_says_chmod_600(String java) throws Exception {
        JavaRun.compile(dir, "Hello", HELLO);
        Path key = dir.resolve("job.key");
        Files.write(key, new byte[32]);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

        JavaRun.Result r = JavaRun.run(dir, List.of(java, "-javaagent:" + JavaRun.agentJar().toAbsolutePath() + "=key=job.key",
                "-cp", dir.toString(), "Hello"));

        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
        assertThat(r.stdout()).as("the program must not run without the protection it asked for").isEmpty();
        assertThat(r.stderr()).isEqualTo("stasis: bad value for option 'key' in -javaagent options: key file "
                + key.toRealPath() + " has mode rw-r--r-- (0644): group or others may use it, and a key anyone else can"
                + " read lets them forge snapshots; run chmod 600 " + key.toRealPath() + System.lineSeparator());
        assertThat(Files.exists(dir.resolve(".stasis"))).as("refused before the snapshot directory is created").isFalse();
    }

    @ParameterizedTest
    @MethodSource("javas")
    void a_snapshot_that_cannot_be_resumed_stops_the_launch_with_exit_code_2(String java) throws Exception {
        JavaRun.compile(dir, "Hello", HELLO);

        JavaRun.Result r = JavaRun.run(dir, List.of(java, "-javaagent:" + JavaRun.agentJar().toAbsolutePath() + "=restore=42",
                "-cp", dir.toString(), "Hello"));

        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).startsWith("stasis: snapshot 42 ").hasLineCount(1);
    }
}
