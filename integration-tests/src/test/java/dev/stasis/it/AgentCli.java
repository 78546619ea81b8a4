package dev.stasis.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Runs {@code java -jar stasis-agent.jar ...} in its own JVM, as an operator would. */
final class AgentCli {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    /** Numbers the output files of the CLI calls. */
    private static int calls;

    private AgentCli() {
    }

    /** What a CLI call printed and returned. */
    record Result(int exitCode, String stdout, String stderr) {
        String describe() {
            return "exit code " + exitCode + "\n--- cli stdout ---\n" + stdout + "\n--- cli stderr ---\n" + stderr;
        }
    }

    /** {@code checkpoint <pid>}: on success its stdout is the snapshot id. */
    static Result checkpoint(ForkedJvm target, Path directory) {
        return run(directory, "checkpoint", Long.toString(target.pid()));
    }

    /** Checkpoints {@code target} and returns the new snapshot id; fails with the CLI's output otherwise. */
    static String checkpointOrFail(ForkedJvm target, Path directory) {
        Result result = checkpoint(target, directory);
        if (result.exitCode() != 0 || result.stdout().isBlank()) {
            throw new AssertionError("checkpoint of the running program failed: " + result.describe()
                    + "\n" + target.describe());
        }
        return result.stdout().strip();
    }

    static Result list(Path snapshots, Path directory) {
        return run(directory, "list", snapshots.toString());
    }

    static synchronized Result run(Path directory, String... arguments) {
        List<String> argv = new ArrayList<>(List.of(TestEnvironment.java(), "-jar", TestEnvironment.agentJar().toString()));
        argv.addAll(List.of(arguments));
        String name = "cli-" + (++calls);
        try (ForkedJvm cli = ForkedJvm.start(argv, directory, name)) {
            int exitCode = cli.awaitExit(TIMEOUT);
            return new Result(exitCode, String.join("\n", cli.stdoutLines()), cli.stderr());
        }
    }
}
