package bench.stasis.threads;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A forked job with its output on files (it may be killed at any moment, so no pipes), and lines awaited there. */
final class JobProcess implements AutoCloseable {
    private final Process process;
    final Path out;
    final Path err;

    private JobProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    static JobProcess start(List<String> command, Path dir, String name) throws IOException {
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new JobProcess(process, out, err);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Polls {@code file} until {@code pattern} appears in it; fails when the job exits first or after the timeout. */
    Matcher awaitLine(Path file, Pattern pattern, long timeoutSeconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (System.nanoTime() < deadline) {
            Matcher matcher = pattern.matcher(Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "");
            if (matcher.find()) {
                return matcher;
            }
            if (!process.isAlive()) {
                throw new IOException("the job exited (" + process.exitValue() + ") before printing " + pattern
                        + " in " + file);
            }
            Thread.sleep(5);
        }
        throw new IOException("no " + pattern + " in " + file + " within " + timeoutSeconds + " s");
    }

    /** {@code kill -9}. */
    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }
}
