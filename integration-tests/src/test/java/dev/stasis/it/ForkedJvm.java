package dev.stasis.it;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * A JVM started from a {@link JvmCommand}, its stdout and stderr going to files in the test's
 * directory so they survive a {@code kill -9} and can be shown when an assertion fails.
 */
final class ForkedJvm implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(20);

    private final String name;
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private ForkedJvm(String name, Process process, Path stdout, Path stderr) {
        this.name = name;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Starts {@code command} in {@code directory}; {@code name} names its output files. */
    static ForkedJvm start(JvmCommand command, Path directory, String name) {
        return start(command.toArgv(), directory, name);
    }

    /** Starts a raw command line in {@code directory}. */
    static ForkedJvm start(List<String> argv, Path directory, String name) {
        Path out = directory.resolve(name + ".out");
        Path err = directory.resolve(name + ".err");
        try {
            Process process = new ProcessBuilder(argv)
                    .directory(directory.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(devNull()))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            return new ForkedJvm(name, process, out, err);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + argv, e);
        }
    }

    /** Runs {@code command} to its end and returns it (exited, output complete). */
    static ForkedJvm run(JvmCommand command, Path directory, String name, Duration timeout) {
        ForkedJvm jvm = start(command, directory, name);
        jvm.awaitExit(timeout);
        return jvm;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits until stdout has a line that matches; fails (with both outputs) on exit or timeout. */
    String awaitLine(Predicate<String> wanted, String description, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<String> line = stdoutLines().stream().filter(wanted).findFirst();
            if (line.isPresent()) {
                return line.get();
            }
            if (!process.isAlive()) {
                // The line may have been written just before the exit.
                line = stdoutLines().stream().filter(wanted).findFirst();
                if (line.isPresent()) {
                    return line.get();
                }
                fail("%s exited with %d before printing %s%n%s", name, process.exitValue(), description, describe());
            }
            if (System.nanoTime() > deadline) {
                fail("%s did not print %s within %s%n%s", name, description, timeout, describe());
            }
            sleep(POLL);
        }
    }

    /** Waits until {@code condition} holds; fails (with both outputs) if the JVM ends first or on timeout. */
    void await(BooleanSupplier condition, String description, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                fail("waited in vain for %s%n%s", description, describe());
            }
            sleep(POLL);
        }
    }

    /** Waits for the end; returns the exit code. On a timeout it kills the JVM and fails. */
    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                fail("%s did not end within %s%n%s", name, timeout, describe());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        }
    }

    /** {@code kill -9}: on Linux {@link Process#destroyForcibly()} sends SIGKILL. Waits until it is gone. */
    void killHard() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing " + name, e);
        }
    }

    int exitCode() {
        return process.exitValue();
    }

    /** The complete lines on stdout so far (a line still being written is left out). */
    List<String> stdoutLines() {
        String text = read(stdout);
        int end = text.lastIndexOf('\n');
        return end < 0 ? List.of() : text.substring(0, end).lines().toList();
    }

    /** What stdout holds after its last newline: a line cut off by a kill, or "". */
    String stdoutPartialLine() {
        String text = read(stdout);
        return text.substring(text.lastIndexOf('\n') + 1);
    }

    String stderr() {
        return read(stderr);
    }

    /** Both outputs, for failure messages. */
    String describe() {
        return "--- " + name + " stdout (last lines) ---\n" + String.join("\n", tail(stdoutLines(), 15))
                + "\n--- " + name + " stderr ---\n" + stderr();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            killHard();
        }
    }

    private static List<String> tail(List<String> lines, int count) {
        return lines.subList(Math.max(0, lines.size() - count), lines.size());
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static File devNull() {
        return new File("/dev/null");
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
