package bench.stasis.snapshot;

import static bench.stasis.BenchEnvironment.existingJar;
import static bench.stasis.BenchEnvironment.javaExecutable;

import bench.stasis.report.MarkdownTable;
import bench.stasis.report.Reports;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One checkpoint of the sample job from outside and one resume after {@code kill -9}, as a user
 * would do it: start the job under the agent, run {@code java -jar stasis-agent.jar checkpoint
 * <pid>}, kill the job, start the same command again and wait for the agent's resume line.
 *
 * <p>System properties: {@code stasis.agent.jar}, {@code stasis.samples.jar} (required),
 * {@code bench.sampleClass} (dev.stasis.samples.job.SampleJob), {@code bench.sampleArgs}
 * (space separated, none), {@code bench.settleMillis} before the checkpoint (3000),
 * {@code bench.report}.
 */
public final class CheckpointHarness {
    private static final long TIMEOUT_SECONDS = 120;
    private static final long AFTER_RESUME_SECONDS = 2;

    private CheckpointHarness() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Path agentJar = existingJar("stasis.agent.jar");
        Path samplesJar = existingJar("stasis.samples.jar");
        Path work = Files.createTempDirectory("stasis-bench-checkpoint-");
        Path snapshots = work.resolve("snapshots");
        List<String> job = jobCommand(agentJar, samplesJar, snapshots);
        MarkdownTable table = new MarkdownTable("measure", "value");
        String verdict;
        try {
            verdict = run(job, agentJar, work, snapshots, table);
        } catch (RuntimeException | IOException failure) {
            failure.printStackTrace();
            verdict = "The measurement failed: " + failure + ". Logs are in " + work + ".";
        }
        Reports.publish("### One checkpoint and one resume of the sample job\n\nJob: `" + String.join(" ", job)
                + "`\n\n" + table.render() + "\n" + verdict + "\n");
    }

    private static String run(List<String> job, Path agentJar, Path work, Path snapshots, MarkdownTable table)
            throws IOException, InterruptedException {
        Process first = new ProcessBuilder(job).redirectOutput(work.resolve("first.out").toFile())
                .redirectError(work.resolve("first.err").toFile()).start();
        try {
            Thread.sleep(Long.getLong("bench.settleMillis", 3000));
            if (!first.isAlive()) {
                return "The sample job ended (exit " + first.exitValue() + ") before the checkpoint; see " + work + "/first.err.";
            }
            long start = System.nanoTime();
            Process cli = new ProcessBuilder(javaExecutable(), "-jar", agentJar.toString(), "checkpoint",
                    Long.toString(first.pid())).redirectErrorStream(true).start();
            String cliOutput = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            boolean cliDone = cli.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            long cliMillis = (System.nanoTime() - start) / 1_000_000;
            Files.writeString(work.resolve("checkpoint.out"), cliOutput);
            System.out.println("checkpoint command output:\n" + cliOutput);
            if (!cliDone || cli.exitValue() != 0) {
                return "The checkpoint command failed (" + (cliDone ? "exit " + cli.exitValue() : "timed out") + "): "
                        + cliOutput.strip();
            }
            RemoteCheckpointer.LastCheckpoint last = RemoteCheckpointer.lastCheckpoint(first.pid());
            table.row("checkpoint pause, the agent's LastPauseMillis (ms)", Long.toString(last.pauseMillis()));
            table.row("`stasis-agent.jar checkpoint <pid>` wall time, attach and JVM start included (ms)",
                    Long.toString(cliMillis));
            Path snapshot = largestFile(snapshots);
            table.row("snapshot size, LastSnapshotBytes (bytes)", Long.toString(last.snapshotBytes()));
            table.row("snapshot file on disk (bytes)", snapshot == null ? "no file in " + snapshots
                    : Long.toString(Files.size(snapshot)));
        } finally {
            first.destroyForcibly().waitFor();
        }
        return resume(job, work, table);
    }

    private static String resume(List<String> job, Path work, MarkdownTable table) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process second = new ProcessBuilder(job).redirectOutput(work.resolve("second.out").toFile()).start();
        try {
            CompletableFuture<OptionalLong> restored = CompletableFuture.supplyAsync(() -> awaitResumeLine(second, work));
            OptionalLong restoredMillis;
            try {
                restoredMillis = restored.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                return "No resume line from the relaunched job within " + TIMEOUT_SECONDS + " s: " + e;
            }
            long wallMillis = (System.nanoTime() - start) / 1_000_000;
            if (restoredMillis.isEmpty()) {
                return "The relaunched job printed no `stasis: resumed from snapshot ... restored in N ms` line; see "
                        + work + "/second.err.";
            }
            table.row("restore reported by the agent (ms)", Long.toString(restoredMillis.getAsLong()));
            table.row("relaunch until the resume line, JVM start included (ms)", Long.toString(wallMillis));
            // A resume line followed by a crash would not be a resume.
            if (second.waitFor(AFTER_RESUME_SECONDS, TimeUnit.SECONDS) && second.exitValue() != 0) {
                return "The job printed the resume line but then exited with " + second.exitValue() + "; see "
                        + work + "/second.out.";
            }
            return "The resumed job was still running (or had finished normally) " + AFTER_RESUME_SECONDS
                    + " s after its resume line.";
        } finally {
            second.destroyForcibly().waitFor();
        }
    }

    /** Copies the job's stderr to a file until the resume line, and returns its figure. */
    private static OptionalLong awaitResumeLine(Process process, Path work) {
        List<String> lines = new ArrayList<>();
        try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line = err.readLine(); line != null; line = err.readLine()) {
                lines.add(line);
                OptionalLong restored = AgentOutput.restoredMillis(line);
                if (restored.isPresent()) {
                    return restored;
                }
            }
            return OptionalLong.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                Files.write(work.resolve("second.err"), lines);
            } catch (IOException ignored) {
                // Only a diagnostic copy; the figure (or its absence) is already known.
            }
        }
    }

    private static List<String> jobCommand(Path agentJar, Path samplesJar, Path snapshots) {
        List<String> command = new ArrayList<>(List.of(javaExecutable(),
                "-javaagent:" + agentJar.toAbsolutePath() + "=dir=" + snapshots.toAbsolutePath(),
                "-cp", samplesJar.toAbsolutePath().toString(),
                System.getProperty("bench.sampleClass", "dev.stasis.samples.job.SampleJob")));
        String sampleArgs = System.getProperty("bench.sampleArgs", "").strip();
        if (!sampleArgs.isEmpty()) {
            command.addAll(Arrays.asList(sampleArgs.split("\\s+")));
        }
        return command;
    }

    private static Path largestFile(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return null;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).max(Comparator.comparingLong(CheckpointHarness::size)).orElse(null);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
