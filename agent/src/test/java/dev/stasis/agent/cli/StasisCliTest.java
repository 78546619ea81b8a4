package dev.stasis.agent.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StasisCliTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void killChildren() throws InterruptedException {
        for (Process p : children) {
            p.destroyForcibly().waitFor();
        }
    }

    private int run(String... args) {
        return StasisCli.run(new PrintWriter(out), new PrintWriter(err), args);
    }

    @Test
    void help_lists_the_commands() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("checkpoint", "list", "verify", "inspect", "prune", "--version");
        assertThat(out.toString().lines()).as("prune is registered, not only mentioned")
                .anyMatch(line -> line.matches("\\s+prune\\s+Delete all but the newest N snapshots.*"));
    }

    @Test
    void version_names_the_agent() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).startsWith("stasis-agent ");
    }

    @Test
    void no_command_prints_usage_and_fails() {
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString()).contains("Usage: stasis");
    }

    @Test
    void checkpoint_of_something_that_is_no_pid_says_so() {
        assertThat(run("checkpoint", "abc")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("stasis: checkpoint of abc failed: 'abc' is not a process id "
                + "(a positive number, as shown by jps or ps)" + System.lineSeparator());
    }

    @Test
    void checkpoint_of_a_process_that_does_not_exist_says_so() {
        long pid = 4_194_000;
        while (ProcessHandle.of(pid).isPresent()) {
            pid--;
        }
        assertThat(run("checkpoint", Long.toString(pid))).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("stasis: checkpoint of " + pid + " failed: no such process" + System.lineSeparator());
    }

    @Test
    void checkpoint_with_a_bad_timeout_is_a_usage_error() {
        assertThat(run("checkpoint", "1", "--timeout", "soon")).isEqualTo(2);
        assertThat(err.toString()).contains("'soon' is not a duration; write a number and a unit: 500ms, 30s, 5m or 1h");
    }

    @Test
    void checkpoint_of_a_jvm_without_the_agent_tells_how_to_start_it() throws Exception {
        long pid = startChild("plain");

        assertThat(run("checkpoint", Long.toString(pid))).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("stasis: checkpoint of " + pid + " failed: process " + pid
                + " has no Stasis agent: start it with -javaagent:stasis-agent.jar" + System.lineSeparator());
    }

    @Test
    void checkpoint_of_a_jvm_with_the_agent_prints_the_snapshot_id() throws Exception {
        long pid = startChild("agent");

        assertThat(run("checkpoint", Long.toString(pid), "--timeout", "1m")).as(err.toString()).isZero();
        assertThat(out.toString()).isEqualTo("snap-1" + System.lineSeparator());
    }

    @Test
    void a_refused_checkpoint_prints_the_engines_reason() throws Exception {
        long pid = startChild("fail");

        assertThat(run("checkpoint", Long.toString(pid))).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("stasis: checkpoint of " + pid + " failed: thread main did not reach a safepoint "
                + "within 10s: it holds a lock in com.acme.Job.run" + System.lineSeparator());
    }

    @Test
    void a_checkpoint_without_an_answer_in_time_gives_up_and_says_it_may_still_complete() throws Exception {
        long pid = startChild("slow");

        assertThat(run("checkpoint", Long.toString(pid), "--timeout", "500ms")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("stasis: checkpoint of " + pid + " failed: no answer within 500ms; the checkpoint "
                + "may still complete in the process (see its stderr), or retry with a longer --timeout" + System.lineSeparator());
    }

    @Test
    void list_of_a_missing_directory_fails_clearly(@TempDir Path tmp) {
        Path missing = tmp.resolve("nope");

        assertThat(run("list", missing.toString())).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("stasis: cannot list " + missing + ": no such directory; give the directory of the "
                + "agent's dir= option (default .stasis in the program's working directory)" + System.lineSeparator());
    }

    @Test
    void list_of_a_file_fails_clearly(@TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("snap"), "x");

        assertThat(run("list", file.toString())).isEqualTo(1);
        assertThat(err.toString()).startsWith("stasis: cannot list " + file + ": not a directory;");
    }

    private long startChild(String mode) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), FakeAgentProcess.class.getName(), mode)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        children.add(p);
        BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertThat(lines.readLine()).isEqualTo("ready");
        return p.pid();
    }
}
