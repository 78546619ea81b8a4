package bench.stasis.engines;

import static bench.stasis.BenchEnvironment.existingJar;
import static bench.stasis.BenchEnvironment.javaExecutable;

import bench.stasis.report.MarkdownTable;
import bench.stasis.report.Reports;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code portable} against {@code criu} on the same program ({@link LiveStateJob}) in one run, for a small and a
 * large live state: each engine checkpoints it once from outside ({@code stasis-agent.jar checkpoint <pid>}), the
 * job is killed with {@code kill -9}, and it is brought back (portable: the same launch command; criu: {@code
 * stasis-agent.jar restore <dir>}). The job runs in its own session with its output on files, as CRIU needs.
 *
 * <p>System properties: {@code stasis.agent.jar}, {@code bench.harness.jar} (this jar, the job's class path),
 * {@code stasis.criu} (default: the wrapper .ci/setup-criu writes), {@code bench.sizes} (MB, default "16 512"),
 * {@code bench.report}.
 */
public final class EngineComparison {
    private static final long TIMEOUT_SECONDS = 180;
    private static final Pattern RESUMED = Pattern.compile("stasis: resumed from snapshot .*restored in (\\d+) ms");
    private static final Pattern CRIU_RESTORED = Pattern.compile("restored (criu-\\d+) as process (\\d+) in (\\d+) ms");

    private final Path agentJar;
    private final Path harnessJar;
    private final String criu;
    private final Path work;

    private EngineComparison(Path agentJar, Path harnessJar, String criu, Path work) {
        this.agentJar = agentJar;
        this.harnessJar = harnessJar;
        this.criu = criu;
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("stasis-bench-engines-");
        EngineComparison comparison = new EngineComparison(existingJar("stasis.agent.jar"), existingJar("bench.harness.jar"),
                System.getProperty("stasis.criu", "/var/cache/stasis/criu/stasis-criu"), work);
        MarkdownTable table = new MarkdownTable("live state", "engine", "checkpoint pause (ms)",
                "`checkpoint <pid>` wall (ms)", "snapshot on disk (MB)", "restore, engine's own (ms)",
                "resume wall, JVM start included (ms)");
        List<String> notes = new ArrayList<>();
        for (String size : System.getProperty("bench.sizes", "16 512").trim().split("\\s+")) {
            int megabytes = Integer.parseInt(size);
            for (String engine : List.of("portable", "criu")) {
                try {
                    comparison.measure(megabytes, engine, table);
                } catch (Exception e) {
                    e.printStackTrace();
                    notes.add(engine + " with " + megabytes + " MB failed: " + e.getMessage() + " (logs in " + work + ")");
                    table.row(megabytes + " MB", engine, "failed", "", "", "", "");
                }
            }
        }
        Reports.publish("### portable against criu, the same job, one run\n\nJob: `LiveStateJob <MB>` (benchmarks), "
                + "`-Xmx2g`, in its own session (setsid), output on files. Checkpoint from outside, kill -9, resume.\n\n"
                + table.render() + "\n"
                + "Pause: the agent's LastPauseMillis (portable: quiesce to rewind; criu: the whole checkpoint call, "
                + "starting the detached CRIU included, the process is frozen for most of it). Restore, engine's own: "
                + "portable, the agent's `restored in N ms`; criu, `criu restore` as the restore command timed it. "
                + "Resume wall: portable, relaunch until the resume line; criu, the `restore` command (a JVM start "
                + "included).\n" + (notes.isEmpty() ? "" : "\n" + String.join("\n", notes) + "\n"));
    }

    private void measure(int megabytes, String engine, MarkdownTable table) throws Exception {
        Path dir = Files.createDirectories(work.resolve(engine + "-" + megabytes));
        Path snapshots = dir.resolve("snapshots");
        List<String> job = jobCommand(megabytes, engine, snapshots);
        Process first = start(job, dir, "first");
        long pid = first.pid();
        long pauseMillis;
        long cliMillis;
        try {
            awaitLine(dir.resolve("first.out"), "tick ", first);
            long start = System.nanoTime();
            String checkpoint = runCli(dir, "checkpoint", Long.toString(pid));
            cliMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            pauseMillis = bench.stasis.snapshot.RemoteCheckpointerAccess.lastPauseMillis(pid);
            System.out.println(engine + " " + megabytes + " MB: checkpoint " + checkpoint.strip());
        } finally {
            first.destroyForcibly().waitFor();
        }
        double snapshotMb = bytesUnder(snapshots) / 1e6;
        long restoreMillis;
        long resumeWall;
        if (engine.equals("portable")) {
            long start = System.nanoTime();
            Process second = start(job, dir, "second");
            try {
                Matcher resumed = awaitLine(dir.resolve("second.err"), RESUMED, second);
                resumeWall = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                restoreMillis = Long.parseLong(resumed.group(1));
            } finally {
                second.destroyForcibly().waitFor();
            }
        } else {
            long start = System.nanoTime();
            String restored = runCli(dir, "restore", snapshots.toString());
            resumeWall = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            Matcher m = CRIU_RESTORED.matcher(restored);
            if (!m.find()) {
                throw new IOException("restore printed no 'restored ... in N ms' line: " + restored);
            }
            restoreMillis = Long.parseLong(m.group(3));
            ProcessHandle back = ProcessHandle.of(Long.parseLong(m.group(2)))
                    .orElseThrow(() -> new IOException("the restored process " + m.group(2) + " is not running"));
            back.destroyForcibly();
            back.onExit().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        table.row(megabytes + " MB", engine, Long.toString(pauseMillis), Long.toString(cliMillis),
                Reports.format(snapshotMb, 1), Long.toString(restoreMillis), Long.toString(resumeWall));
    }

    private List<String> jobCommand(int megabytes, String engine, Path snapshots) {
        String options = "dir=" + snapshots + ",include=bench.stasis.engines"
                + (engine.equals("criu") ? ",engine=criu,criu=" + criu : "");
        return List.of("setsid", javaExecutable(), "-Xmx2g", "-javaagent:" + agentJar + "=" + options,
                "-cp", harnessJar.toString(), LiveStateJob.class.getName(), Integer.toString(megabytes));
    }

    private static Process start(List<String> command, Path dir, String name) throws IOException {
        return new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(dir.resolve(name + ".out").toFile()).redirectError(dir.resolve(name + ".err").toFile())
                .start();
    }

    private String runCli(Path dir, String... arguments) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of(javaExecutable(), "-jar", agentJar.toString()));
        argv.addAll(List.of(arguments));
        Path out = dir.resolve(arguments[0] + ".out");
        Process cli = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!cli.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            cli.destroyForcibly();
            throw new IOException(String.join(" ", argv) + " timed out");
        }
        String output = Files.readString(out, StandardCharsets.UTF_8);
        if (cli.exitValue() != 0) {
            throw new IOException(String.join(" ", argv) + " failed (exit " + cli.exitValue() + "): " + output.strip());
        }
        return output;
    }

    private static void awaitLine(Path file, String prefix, Process process) throws Exception {
        awaitLine(file, Pattern.compile("(?m)^" + Pattern.quote(prefix)), process);
    }

    /** Polls the file the process writes (it may be killed at any moment, so no pipe). */
    private static Matcher awaitLine(Path file, Pattern pattern, Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (System.nanoTime() < deadline) {
            String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
            Matcher m = pattern.matcher(text);
            if (m.find()) {
                return m;
            }
            if (!process.isAlive()) {
                throw new IOException("the job exited (" + process.exitValue() + ") before printing " + pattern + " in " + file);
            }
            Thread.sleep(5);
        }
        throw new IOException("no " + pattern + " in " + file + " within " + TIMEOUT_SECONDS + " s");
    }

    private static long bytesUnder(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }
}
