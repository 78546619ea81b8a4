package dev.stasis.agent.packaging;

import com.sun.tools.attach.VirtualMachine;
import dev.stasis.runtime.internal.snapshot.ReadOptions;
import dev.stasis.runtime.internal.snapshot.SnapshotCodec;
import dev.stasis.runtime.internal.snapshot.SnapshotKey;
import dev.stasis.runtime.internal.snapshot.VerifiedSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a run ends decides whether the next launch resumes it: an orderly end marks it finished
 * (the store's {@code finished-<runId>} marker), a SIGTERM does not. Also: the agent in a real
 * process publishes its MBean.
 */
class LifecycleIT {
    @TempDir
    Path dir;
    private Path snapshots;
    private Process process;

    private static final String WORKER = """
            public class Worker {
                static String padding = "compressible ".repeat(2000);

                public static void main(String[] args) throws Exception {
                    System.out.println("ready");
                    if (args.length > 0 && args[0].equals("exit")) {
                        System.exit(3);
                    }
                    if (args.length > 0 && args[0].equals("work")) {
                        for (int i = 0; i < 15; i++) {
                            Thread.sleep(100);
                        }
                        System.out.println("end");
                    }
                    if (args.length > 0 && args[0].equals("wait")) {
                        for (int i = 0; i < 1200; i++) {
                            Thread.sleep(100);
                        }
                    }
                }
            }
            """;

    static Stream<String> javas() {
        return JavaRun.javas();
    }

    @BeforeEach
    void compile() throws IOException {
        JavaRun.compile(dir, "Worker", WORKER);
        snapshots = dir.resolve("snaps");
    }

    @AfterEach
    void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor();
        }
    }

    /** Starts Worker under the agent and waits for its "ready". */
    private BufferedReader start(String java, String options, String mode) throws IOException {
        List<String> command = new ArrayList<>(List.of(java, "-javaagent:" + JavaRun.agentJar().toAbsolutePath() + "=dir=" + snapshots + options,
                "-cp", dir.toString(), "Worker", mode));
        process = new ProcessBuilder(command).redirectError(dir.resolve("stderr.txt").toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).as(stderr()).isEqualTo("ready");
        return out;
    }

    /**
     * Relaunches Worker exactly as before and waits for the agent's resume line; returns what the
     * program printed by then ("ready" would mean main started over instead of continuing).
     */
    private String relaunchResumed(String java) throws Exception {
        return relaunchResumed(java, "");
    }

    private String relaunchResumed(String java, String options) throws Exception {
        process.destroyForcibly().waitFor();
        Path stdout = dir.resolve("stdout-resumed.txt");
        process = new ProcessBuilder(java, "-javaagent:" + JavaRun.agentJar().toAbsolutePath() + "=dir=" + snapshots + options,
                "-cp", dir.toString(), "Worker", "wait")
                .redirectOutput(stdout.toFile()).redirectError(dir.resolve("stderr.txt").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (!stderr().contains(System.lineSeparator()) && process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Thread.sleep(300);
        return Files.readString(stdout);
    }

    private int exitCode() throws InterruptedException {
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("process ended").isTrue();
        return process.exitValue();
    }

    private String stderr() throws IOException {
        Path file = dir.resolve("stderr.txt");
        return Files.exists(file) ? Files.readString(file) : "";
    }

    private List<String> files(String prefix) throws IOException {
        try (Stream<Path> s = Files.list(snapshots)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).toList();
        }
    }

    private void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
    }

    @ParameterizedTest
    @MethodSource("javas")
    void main_returning_marks_the_run_finished(String java) throws Exception {
        start(java, "", "return");

        assertThat(exitCode()).as(stderr()).isZero();
        assertThat(stderr()).isEmpty();
        assertThat(files("finished-")).hasSize(1);
    }

    @ParameterizedTest
    @MethodSource("javas")
    void system_exit_marks_the_run_finished_and_keeps_the_exit_code(String java) throws Exception {
        start(java, "", "exit");

        assertThat(exitCode()).as(stderr()).isEqualTo(3);
        assertThat(files("finished-")).hasSize(1);
    }

    @ParameterizedTest
    @MethodSource("javas")
    void sigterm_exits_as_the_jvm_would_and_leaves_the_run_resumable(String java) throws Exception {
        start(java, "", "wait");

        signal("TERM");

        assertThat(exitCode()).isEqualTo(143);
        assertThat(stderr()).isEmpty();
        assertThat(files("finished-")).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("javas")
    void sigterm_with_onterm_checkpoint_takes_a_checkpoint_then_exits_143_and_the_next_launch_resumes(String java) throws Exception {
        start(java, ",onterm=checkpoint", "wait");

        signal("TERM");

        assertThat(exitCode()).as(stderr()).isEqualTo(143);
        assertThat(stderr()).isEmpty();
        assertThat(files("finished-")).isEmpty();
        assertThat(files("snapshot-")).hasSize(1);

        String printed = relaunchResumed(java);
        assertThat(stderr()).startsWith("stasis: resumed from snapshot ");
        assertThat(printed).as("main continued, not restarted").isEmpty();
        assertThat(process.isAlive()).isTrue();
    }

    @ParameterizedTest
    @MethodSource("javas")
    void lz4_compressed_snapshots_signed_with_a_key_are_written_and_resumed_by_the_shaded_agent(String java) throws Exception {
        Path key = dir.resolve("job.key");
        Files.write(key, "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        String options = ",compress=lz4,key=" + key;
        start(java, ",onterm=checkpoint" + options, "wait");

        signal("TERM");

        assertThat(exitCode()).as(stderr()).isEqualTo(143);
        assertThat(files("snapshot-")).hasSize(1);
        VerifiedSnapshot written = SnapshotCodec.verify(snapshots.resolve(files("snapshot-").get(0)),
                ReadOptions.defaults().withKey(SnapshotKey.load(key)));
        assertThat(written.authenticated()).isTrue();
        assertThat(written.compressedBlocks()).as("the padding static compresses").isEqualTo(written.blocks()).isPositive();

        String printed = relaunchResumed(java, options);
        assertThat(stderr()).startsWith("stasis: resumed from snapshot ");
        assertThat(printed).as("main continued, not restarted").isEmpty();
        assertThat(process.isAlive()).isTrue();
    }

    @ParameterizedTest
    @MethodSource("javas")
    void publishes_the_checkpointer_mbean_with_its_snapshot_directory(String java) throws Exception {
        start(java, "", "wait");

        VirtualMachine vm = VirtualMachine.attach(Long.toString(process.pid()));
        try (JMXConnector c = JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()))) {
            MBeanServerConnection server = c.getMBeanServerConnection();
            ObjectName name = new ObjectName("dev.stasis:type=Checkpointer");
            assertThat(server.isRegistered(name)).isTrue();
            assertThat(server.getAttribute(name, "SnapshotDirectory")).isEqualTo(snapshots.toString());
            assertThat(server.getAttribute(name, "CheckpointCount")).isEqualTo(0L);
        } finally {
            vm.detach();
        }
    }

    @ParameterizedTest
    @MethodSource("javas")
    void loading_the_agent_into_a_running_jvm_is_declined_and_the_program_runs_on(String java) throws Exception {
        List<String> command = List.of(java, "-XX:+EnableDynamicAgentLoading", "-cp", dir.toString(), "Worker", "wait");
        process = new ProcessBuilder(command).redirectError(dir.resolve("stderr.txt").toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("ready");

        VirtualMachine vm = VirtualMachine.attach(Long.toString(process.pid()));
        try {
            vm.loadAgent(JavaRun.agentJar().toAbsolutePath().toString(), "dir=" + snapshots);
        } finally {
            vm.detach();
        }

        assertThat(stderr()).isEqualTo("stasis: the agent cannot be loaded into a running JVM (its classes are already loaded "
                + "uninstrumented); start the program with -javaagent:stasis-agent.jar" + System.lineSeparator());
        assertThat(process.isAlive()).isTrue();
        assertThat(snapshots).doesNotExist();
    }

    @ParameterizedTest
    @MethodSource("javas")
    void interval_checkpoints_repeatedly_in_the_background_and_never_harms_the_program(String java) throws Exception {
        BufferedReader out = start(java, ",interval=300ms,keep=100", "work");

        assertThat(out.readLine()).isEqualTo("end");
        assertThat(exitCode()).as(stderr()).isZero();
        assertThat(stderr()).isEmpty();
        assertThat(files("snapshot-")).hasSizeGreaterThanOrEqualTo(2);
    }

    @ParameterizedTest
    @MethodSource("javas")
    void cli_checkpoint_then_kill_9_then_the_same_command_resumes(String java) throws Exception {
        start(java, "", "wait");

        JavaRun.Result cli = JavaRun.run(dir, List.of(java, "-jar", JavaRun.agentJar().toAbsolutePath().toString(),
                "checkpoint", Long.toString(process.pid())));
        assertThat(cli.exitCode()).as(cli.stderr()).isZero();
        assertThat(cli.stdout().strip()).matches("\\d+");
        assertThat(files("snapshot-")).containsExactly("snapshot-" + cli.stdout().strip() + ".stasis");
        String printed = relaunchResumed(java);
        assertThat(stderr()).startsWith("stasis: resumed from snapshot " + cli.stdout().strip() + " ");
        assertThat(printed).as("main continued, not restarted").isEmpty();
        assertThat(process.isAlive()).isTrue();
    }

    @ParameterizedTest
    @MethodSource("javas")
    void include_and_exclude_decide_what_is_instrumented_and_so_what_can_be_captured(String java) throws Exception {
        start(java, ",include=Worker,timeout=2s", "wait");
        assertThat(checkpointViaCli(java).exitCode()).as(stderr()).isZero();
        process.destroyForcibly().waitFor();

        start(java, ",exclude=Worker,timeout=1s", "wait");
        JavaRun.Result refused = checkpointViaCli(java);
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.stderr()).startsWith("stasis: checkpoint of " + process.pid() + " failed: ").contains("Worker.main");
        assertThat(process.isAlive()).as("a refused checkpoint leaves the program running").isTrue();
    }

    private JavaRun.Result checkpointViaCli(String java) throws Exception {
        return JavaRun.run(dir, List.of(java, "-jar", JavaRun.agentJar().toAbsolutePath().toString(),
                "checkpoint", Long.toString(process.pid())));
    }
}
