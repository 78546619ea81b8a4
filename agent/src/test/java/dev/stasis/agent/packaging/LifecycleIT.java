package dev.stasis.agent.packaging;

import com.sun.tools.attach.VirtualMachine;
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

    private BufferedReader start(String java, String options, String mode) throws IOException {
        List<String> command = new ArrayList<>(List.of(java, "-javaagent:" + JavaRun.agentJar().toAbsolutePath() + "=dir=" + snapshots + options,
                "-cp", dir.toString(), "Worker", mode));
        process = new ProcessBuilder(command).redirectError(dir.resolve("stderr.txt").toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).as(stderr()).isEqualTo("ready");
        return out;
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
    void sigterm_with_onterm_checkpoint_attempts_a_checkpoint_then_exits_143(String java) throws Exception {
        start(java, ",onterm=checkpoint,timeout=1s", "wait");

        signal("TERM");

        assertThat(exitCode()).isEqualTo(143);
        assertThat(files("finished-")).isEmpty();
        // Committed, or refused with the engine's reason: either way it was attempted before the exit.
        assertThat(!files("snapshot-").isEmpty() || stderr().startsWith("stasis: checkpoint on SIGTERM failed: "))
                .as(stderr()).isTrue();
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
        BufferedReader out = start(java, ",interval=300ms,timeout=100ms,keep=100", "work");

        assertThat(out.readLine()).isEqualTo("end");
        assertThat(exitCode()).as(stderr()).isZero();
        // Each attempt either committed a snapshot or printed one line with the engine's reason.
        long failures = stderr().lines().filter(l -> l.startsWith("stasis: checkpoint failed: ")).count();
        assertThat(stderr().lines()).allMatch(l -> l.startsWith("stasis: checkpoint failed: "));
        assertThat(files("snapshot-").size() + failures).isGreaterThanOrEqualTo(2);
    }
}
