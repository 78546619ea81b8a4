package dev.stasis.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole-process engines for real: the sample job checkpointed by CRIU through the CLI, killed with
 * {@code kill -9}, restored with {@code restore}, ends with the output of a run never interrupted; and the engines
 * refuse to start where they cannot work.
 */
class CriuEngineIT {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);
    private static final int REFUSED = 2;

    @TempDir
    Path work;

    private JvmCommand criuJob(Path snapshots) {
        return JvmCommand.of(Samples.JOB, "--steps", Samples.JOB_STEPS)
                .withAgent("dir=" + snapshots + ",engine=criu,criu=" + TestEnvironment.criu());
    }

    /** CRIU dumps a process tree with its session: the job leads its own, as a service manager would start it. */
    private ForkedJvm startInOwnSession(JvmCommand command, String name) {
        List<String> argv = new ArrayList<>(List.of("setsid"));
        argv.addAll(command.toArgv());
        return ForkedJvm.start(argv, work, name);
    }

    @Test
    void restores_the_killed_job_from_its_criu_image_and_it_ends_with_the_uninterrupted_output() throws Exception {
        Path snapshots = work.resolve("snapshots");
        JvmCommand command = criuJob(snapshots);
        List<String> reference = UninterruptedRuns.stdoutOf(command);
        ForkedJvm first = startInOwnSession(command, "first");
        long pid = first.pid();
        String image;
        List<String> beforeKill;
        try {
            first.awaitLine(SampleOutput::isProgress, "a progress line", START_TIMEOUT);
            image = AgentCli.checkpointOrFail(first, work);
            AgentCli.Result list = AgentCli.list(snapshots, work);
            assertThat(list.stdout()).as(list.describe()).contains("CRIU images").containsPattern("criu-1 .* restorable");

            AgentCli.Result tooEarly = AgentCli.run(work, "restore", snapshots.toString());
            assertThat(tooEarly.exitCode()).as(tooEarly.describe()).isEqualTo(1);
            assertThat(tooEarly.stderr()).as(tooEarly.describe()).contains("process " + pid, "is still running", "kill it first");
        } finally {
            first.close();
        }
        beforeKill = first.stdoutLines();
        assertThat(first.stderr()).doesNotContain("restored by CRIU");
        assertThat(image).isEqualTo("criu-1");
        assertThat(beforeKill).as("the job was killed before its end").doesNotContain(reference.get(reference.size() - 1));

        AgentCli.Result restore = AgentCli.run(work, "restore", snapshots.toString());
        assertThat(restore.exitCode()).as(restore.describe() + "\n" + first.describe()).isZero();
        assertThat(restore.stdout()).contains("restored criu-1 as process " + pid);

        Optional<ProcessHandle> restored = ProcessHandle.of(pid);
        if (restored.isPresent()) {
            // Not our child (CRIU detached it): onExit polls until it is gone.
            restored.get().onExit().get(RUN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        // The restored process writes on into the files the first one had open.
        assertThat(first.stderr()).as(first.describe()).contains("stasis: restored by CRIU from image criu-1");
        assertThat(first.stdoutLines()).as("the output file, written by the killed run and then by the restored one\n"
                + first.describe()).isEqualTo(reference);
    }

    @Test
    void a_job_checkpointed_on_sigterm_exits_and_once_restored_runs_to_its_end() throws Exception {
        Path snapshots = work.resolve("snapshots");
        JvmCommand command = criuJob(snapshots).withAgent("dir=" + snapshots + ",engine=criu,onterm=checkpoint,criu="
                + TestEnvironment.criu());
        List<String> reference = UninterruptedRuns.stdoutOf(command);
        ForkedJvm first = startInOwnSession(command, "terminated");
        long pid = first.pid();
        try {
            first.awaitLine(SampleOutput::isProgress, "a progress line", START_TIMEOUT);
            ProcessHandle.of(pid).orElseThrow().destroy();
            assertThat(first.awaitExit(RUN_TIMEOUT)).as(first.describe()).isEqualTo(143);
        } finally {
            first.close();
        }

        AgentCli.Result restore = AgentCli.run(work, "restore", snapshots.toString());
        assertThat(restore.exitCode()).as(restore.describe() + "\n" + first.describe()).isZero();
        Optional<ProcessHandle> restored = ProcessHandle.of(pid);
        if (restored.isPresent()) {
            restored.get().onExit().get(RUN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        assertThat(first.stdoutLines()).as("the restored process ran on instead of exiting for the signal of the dumped one\n"
                + first.describe()).isEqualTo(reference);
        assertThat(Files.list(snapshots).map(file -> file.getFileName().toString()))
                .as("its orderly end marked the run finished").anyMatch(name -> name.startsWith("criu-finished-"));
    }

    @Test
    void org_crac_resources_and_the_programs_own_checkpointRestore_work_in_the_original_and_in_the_restored_process() throws Exception {
        int port = CracServiceIT.freePort();
        Path snapshots = work.resolve("snapshots");
        JvmCommand command = JvmCommand.of(Samples.CRAC_SERVICE, Integer.toString(port))
                .withAgent("dir=" + snapshots + ",engine=criu,criu=" + TestEnvironment.criu());
        ForkedJvm first = startInOwnSession(command, "service");
        long pid = first.pid();
        try {
            first.awaitLine(line -> line.equals("listening on " + port), "that it listens", START_TIMEOUT);
            assertThat(CracServiceIT.get(port, "/count")).isEqualTo("request 1");
            AgentCli.checkpointOrFail(first, work);
            assertThat(CracServiceIT.get(port, "/count")).as("afterRestore reopened the listener in the same process\n"
                    + first.describe()).isEqualTo("request 2");
            // The program's own Core.checkpointRestore() is a CRIU checkpoint too: the newest image, restored below.
            assertThat(CracServiceIT.get(port, "/checkpoint")).isEqualTo("requested");
            first.awaitLine(line -> line.startsWith("checkpointRestore "), "the end of checkpointRestore()", START_TIMEOUT);
            assertThat(first.stdoutLines()).as(first.describe()).contains("checkpointRestore returned, count 2");
        } finally {
            first.close();
        }

        AgentCli.Result restore = AgentCli.run(work, "restore", snapshots.toString());
        assertThat(restore.exitCode()).as(restore.describe() + "\n" + first.describe()).isZero();
        try {
            assertThat(answerOnceListening(port, "/count", pid)).as("the restored process counts on from the checkpoint, "
                    + "its listener reopened by afterRestore\n" + first.describe()).isEqualTo("request 3");
            assertThat(CracServiceIT.get(port, "/stop")).isEqualTo("stopping");
            ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());
        } finally {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        // The restore cut stdout back to its length at the dump: the restored process's own return from
        // checkpointRestore() is the only one left, then its end.
        assertThat(first.stdoutLines()).as(first.describe()).containsExactly("listening on " + port,
                "checkpointRestore returned, count 2", "stopped after 3 requests");
    }

    private static String answerOnceListening(int port, String path, long pid) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            try {
                return CracServiceIT.get(port, path);
            } catch (java.io.UncheckedIOException e) {
                if (ProcessHandle.of(pid).isEmpty() || System.nanoTime() > deadline) {
                    throw new AssertionError("the restored service did not answer " + path + ": " + e.getMessage(), e);
                }
                ForkedJvm.sleep(Duration.ofMillis(50));
            }
        }
    }

    @Test
    void restore_says_when_the_directory_has_no_criu_image() {
        AgentCli.Result restore = AgentCli.run(work, "restore", work.toString());
        assertThat(restore.exitCode()).as(restore.describe()).isEqualTo(1);
        assertThat(restore.stderr()).contains("no CRIU image in " + work);
    }

    @Test
    void engine_criu_refuses_to_start_with_a_criu_binary_that_does_not_exist() {
        Path missing = work.resolve("no-such-criu");
        JvmCommand command = JvmCommand.of(Samples.JOB, "--steps", "200000")
                .withAgent("dir=" + work.resolve("snapshots") + ",engine=criu,criu=" + missing);
        try (ForkedJvm jvm = ForkedJvm.run(command, work, "missing-criu", RUN_TIMEOUT)) {
            assertThat(jvm.exitCode()).as(jvm.describe()).isEqualTo(REFUSED);
            assertThat(jvm.stderr()).as(jvm.describe())
                    .contains("engine=criu cannot work here", "the CRIU binary " + missing + " does not exist", "criu=PATH");
            assertThat(jvm.stdoutLines()).as("the program must not start unprotected").isEmpty();
        }
    }

    @Test
    void engine_criu_refuses_to_start_when_criu_check_fails() {
        // /bin/false is an executable that fails every command, as a CRIU that does not work on this kernel does.
        JvmCommand command = JvmCommand.of(Samples.JOB, "--steps", "200000")
                .withAgent("dir=" + work.resolve("snapshots") + ",engine=criu,criu=/bin/false");
        try (ForkedJvm jvm = ForkedJvm.run(command, work, "failing-criu", RUN_TIMEOUT)) {
            assertThat(jvm.exitCode()).as(jvm.describe()).isEqualTo(REFUSED);
            assertThat(jvm.stderr()).as(jvm.describe()).contains("'/bin/false check' failed (exit code 1)");
            assertThat(jvm.stdoutLines()).isEmpty();
        }
    }

    @Test
    void engine_crac_refuses_to_start_on_a_jdk_without_crac() {
        JvmCommand command = JvmCommand.of(Samples.JOB, "--steps", "200000")
                .withAgent("dir=" + work.resolve("snapshots") + ",engine=crac");
        try (ForkedJvm jvm = ForkedJvm.run(command, work, "stock-jdk", RUN_TIMEOUT)) {
            assertThat(jvm.exitCode()).as(jvm.describe()).isEqualTo(REFUSED);
            assertThat(jvm.stderr()).as(jvm.describe())
                    .contains("engine=crac needs a JDK with CRaC (the module jdk.crac)", "which has none");
            assertThat(jvm.stdoutLines()).isEmpty();
        }
    }
}
