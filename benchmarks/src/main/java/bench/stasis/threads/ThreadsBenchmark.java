package bench.stasis.threads;

import static bench.stasis.BenchEnvironment.existingJar;
import static bench.stasis.BenchEnvironment.javaExecutable;

import bench.stasis.report.MarkdownTable;
import bench.stasis.report.Reports;
import bench.stasis.snapshot.AgentOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Checkpoints of multi-threaded programs ({@link ThreadsJob}), from outside over JMX, in one run:
 * <ol>
 *   <li>Time to safepoint, the agent's own {@code LastQuiesceMicros} (from the checkpoint request until every
 *       application thread had stopped at the cut), over many checkpoints of 8 busy compute threads (in a small
 *       heap, and with 2 million objects kept alive) and of 64 threads mostly asleep; p50, p99 and max. Next to it the JVM's own time to safepoint in the same job
 *       ({@code -Xlog:safepoint}'s "Reaching safepoint"): of the safepoints during those checkpoints, and of as many
 *       safepoints asked for alone afterwards ({@code ThreadMXBean.dumpAllThreads} over JMX, no checkpoint), which
 *       is what stopping these threads costs the JVM itself.</li>
 *   <li>Pause ({@code LastPauseMillis}), snapshot size and the relaunch's restore time ({@code restored in N ms})
 *       against the number of worker threads.</li>
 * </ol>
 *
 * <p>System properties: {@code stasis.agent.jar}, {@code bench.harness.jar} (this jar, the job's class path),
 * {@code bench.safepointCheckpoints} (200 measured per case), {@code bench.warmupCheckpoints} (10, not counted),
 * {@code bench.gapMillis} between checkpoints (100), {@code bench.threadCounts} ("1 8 64 512"),
 * {@code bench.pauseCheckpoints} (5 per count, median reported), {@code bench.quiesceTimeout} (the job's agent option
 * {@code timeout=}, 120s), {@code bench.jobJvmOptions} (space separated, added
 * to the job's JVM, e.g. {@code -Xlog:safepoint} to see what the time to safepoint is made of), {@code bench.report}.
 */
public final class ThreadsBenchmark {
    private static final long TIMEOUT_SECONDS = 180;
    private static final long AFTER_RESUME_MILLIS = 2000;
    private static final Pattern READY = Pattern.compile("(?m)^ready \\d+$");
    private static final Pattern RESUMED = Pattern.compile("stasis: resumed from snapshot .*restored in \\d+ ms");

    private final Path agentJar;
    private final Path harnessJar;
    private final Path work;
    private final long gapMillis = Long.getLong("bench.gapMillis", 100);
    /** The agent's {@code timeout=}: long, so a slow quiesce is measured rather than cut off at the default 10 s. */
    private final String quiesceTimeout = System.getProperty("bench.quiesceTimeout", "120s");

    private ThreadsBenchmark(Path agentJar, Path harnessJar, Path work) {
        this.agentJar = agentJar;
        this.harnessJar = harnessJar;
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("stasis-bench-threads-");
        ThreadsBenchmark benchmark = new ThreadsBenchmark(existingJar("stasis.agent.jar"), existingJar("bench.harness.jar"), work);
        List<String> notes = new ArrayList<>();
        String safepoint = benchmark.timeToSafepoint(notes);
        String scaling = benchmark.pauseAndRestore(notes);
        String lockCheck = "#### The lock queries alone (`ThreadMXBean.getThreadInfo` of the current thread: monitors "
                + "only is what `StackInspector` asks once per thread per checkpoint, with synchronizers what the cut "
                + "asks once per checkpoint for all stopped threads; in this harness's JVM, no agent)\n\n"
                + LockCheckCost.measure(10_000, 1_000_000, 4_000_000);
        Reports.publish("### Threads: time to safepoint, pause and restore against the number of threads\n\n"
                + "Job: `java -javaagent:stasis-agent.jar=dir=<tmp>,include=bench.stasis.threads,timeout="
                + benchmark.quiesceTimeout + " -cp stasis-snapshot-harness.jar bench.stasis.threads.ThreadsJob <kind> "
                + "<workers> [sleepMillis [liveObjects]]` (plus `main`, asleep); checkpoints by the MBean's `checkpoint()` over one JMX connection, "
                + benchmark.gapMillis + " ms apart.\n\n" + safepoint + "\n" + scaling + "\n" + lockCheck
                + (notes.isEmpty() ? "" : "\n" + String.join("\n", notes) + "\n") + "\nLogs: " + work + "\n");
    }

    private String timeToSafepoint(List<String> notes) {
        int measured = Integer.getInteger("bench.safepointCheckpoints", 200);
        int warmUps = Integer.getInteger("bench.warmupCheckpoints", 10);
        MarkdownTable table = new MarkdownTable("workers", "checkpoints", "time to safepoint p50 (µs)", "p99 (µs)",
                "max (µs)", "pause p50 (ms)", "pause max (ms)");
        MarkdownTable jvm = new MarkdownTable("workers", "JVM safepoints per checkpoint",
                "their time to safepoint p50 (µs)", "p99 (µs)", "max (µs)", "JVM alone: safepoints",
                "time to safepoint p50 (µs)", "p99 (µs)", "max (µs)");
        MarkdownTable parts = new MarkdownTable("workers", "Deoptimize handshakes per checkpoint",
                "Deoptimize median (µs)", "ThreadDump safepoints per checkpoint", "ThreadDump median (µs)",
                "ThreadDump sum per checkpoint (µs)");
        /** {@code liveObjects}: kept alive in the job's heap, unreachable from its snapshots ({@code Ballast}). */
        record Case(String label, String kind, int workers, String sleepMillis, String liveObjects) {
        }
        for (Case c : List.of(new Case("8 busy compute", "compute", 8, "0", "0"),
                new Case("8 busy compute, 2 M objects kept alive", "compute", 8, "0", "2000000"),
                new Case("64 mostly asleep (Thread.sleep 20 ms)", "sleep", 64, "20", "0"))) {
            try {
                SafepointRun run = checkpointMany(c.kind() + "-" + c.workers() + "-" + c.liveObjects(), c.kind(),
                        c.workers(), c.sleepMillis(), c.liveObjects(), warmUps, measured);
                Percentiles quiesce = Percentiles.of(run.quiesceMicros());
                Percentiles pause = Percentiles.of(run.pauseMillis());
                table.row(c.label(), Integer.toString(quiesce.count()), Long.toString(quiesce.p50()),
                        Long.toString(quiesce.p99()), Long.toString(quiesce.max()), Long.toString(pause.p50()),
                        Long.toString(pause.max()));
                Percentiles during = Percentiles.of(run.jvm().reachingNanos());
                Percentiles alone = Percentiles.of(run.jvmAlone().reachingNanos());
                jvm.row(c.label(), Reports.format((double) during.count() / measured, 1), micros(during.p50()),
                        micros(during.p99()), micros(during.max()), Integer.toString(alone.count()),
                        micros(alone.p50()), micros(alone.p99()), micros(alone.max()));
                long[] dumps = run.jvm().threadDumpNanos();
                long[] deopts = run.jvm().deoptimizeNanos();
                parts.row(c.label(), Reports.format((double) deopts.length / measured, 1),
                        deopts.length == 0 ? "-" : Long.toString(Percentiles.of(deopts).p50() / 1000),
                        Reports.format((double) dumps.length / measured, 1),
                        dumps.length == 0 ? "-" : Long.toString(Percentiles.of(dumps).p50() / 1000),
                        Long.toString(Arrays.stream(dumps).sum() / 1000 / measured));
            } catch (Exception e) {
                e.printStackTrace();
                notes.add(c.label() + " failed: " + e.getMessage());
                table.row(c.label(), "failed", "", "", "", "", "");
            }
        }
        return "#### Time to safepoint (the agent's LastQuiesceMicros: request until every application thread "
                + "stopped at the cut), " + warmUps + " warm-up checkpoints not counted\n\n" + table.render()
                + "\nThe JVM's own time to safepoint in the same job (`-Xlog:safepoint`, \"Reaching safepoint\"): of "
                + "every safepoint during the measured checkpoints, and, alone, of " + measured + " `ThreadMXBean."
                + "dumpAllThreads(false, false)` calls over JMX after them, " + gapMillis + " ms apart, no checkpoint "
                + "running:\n\n" + jvm.render()
                + "\nWhat the job's JVM stopped for during the measured checkpoints (its own `-Xlog:safepoint,handshake`; "
                + "a Deoptimize handshake's time is its total completion time, a ThreadDump's its whole safepoint):\n\n"
                + parts.render();
    }

    private record SafepointRun(long[] quiesceMicros, long[] pauseMillis, JvmPauseLog jvm, JvmPauseLog jvmAlone) {
    }

    private static String micros(long nanos) {
        return Reports.format(nanos / 1000.0, 1);
    }

    private SafepointRun checkpointMany(String name, String kind, int workers, String sleepMillis, String liveObjects,
            int warmUps, int measured) throws Exception {
        Path dir = Files.createDirectories(work.resolve(name));
        Path jvmLog = dir.resolve("jvm-pauses.log");
        long[] quiesce = new long[measured];
        long[] pause = new long[measured];
        List<String> command = jobCommand(dir.resolve("snapshots"), kind, workers, sleepMillis, liveObjects,
                JvmPauseLog.OPTION_PREFIX + jvmLog);
        List<String> measuredLines;
        List<String> aloneLines;
        try (JobProcess job = JobProcess.start(command, dir, "job")) {
            job.awaitLine(job.out, READY, TIMEOUT_SECONDS);
            try (AgentConnection agent = AgentConnection.attach(job.pid())) {
                int logged = 0;
                for (int i = -warmUps; i < measured; i++) {
                    Thread.sleep(gapMillis);
                    if (i == 0) {
                        logged = Files.readAllLines(jvmLog).size();
                    }
                    agent.checkpoint();
                    if (i >= 0) {
                        quiesce[i] = agent.longAttribute("LastQuiesceMicros");
                        pause[i] = agent.longAttribute("LastPauseMillis");
                    }
                }
                // Lowering the switch after the last checkpoint is logged once its rewind has run.
                Thread.sleep(gapMillis);
                List<String> lines = Files.readAllLines(jvmLog);
                measuredLines = lines.subList(logged, lines.size());
                for (int i = 0; i < measured; i++) {
                    Thread.sleep(gapMillis);
                    agent.jvmThreadDump();
                }
                List<String> after = Files.readAllLines(jvmLog);
                aloneLines = after.subList(lines.size(), after.size());
            }
            System.out.println(name + ": quiesce µs " + Arrays.toString(quiesce));
        }
        return new SafepointRun(quiesce, pause, JvmPauseLog.parse(measuredLines), JvmPauseLog.parse(aloneLines));
    }

    private String pauseAndRestore(List<String> notes) {
        int checkpoints = Integer.getInteger("bench.pauseCheckpoints", 5);
        MarkdownTable table = new MarkdownTable("workers", "application threads", "pause median (ms)",
                "time to safepoint median (µs)", "snapshot (bytes)", "restore, agent's own (ms)",
                "relaunch until resumed, JVM start included (ms)");
        for (String count : System.getProperty("bench.threadCounts", "1 8 64 512").trim().split("\\s+")) {
            int workers = Integer.parseInt(count);
            try {
                table.row(measureScaling(workers, checkpoints, notes));
            } catch (Exception e) {
                e.printStackTrace();
                notes.add(workers + " workers failed: " + e.getMessage());
                table.row(count, "failed", "", "", "", "", "");
            }
        }
        return "#### Pause and restore against the number of threads (`ThreadsJob sleep <workers> 50`: each worker "
                + "4 frames deep, mostly asleep; median of " + checkpoints + " checkpoints, then kill -9 and one "
                + "relaunch)\n\n" + table.render();
    }

    private String[] measureScaling(int workers, int checkpoints, List<String> notes) throws Exception {
        Path dir = Files.createDirectories(work.resolve("scaling-" + workers));
        List<String> command = jobCommand(dir.resolve("snapshots"), "sleep", workers, "50", "0");
        long[] pause = new long[checkpoints];
        long[] quiesce = new long[checkpoints];
        long bytes;
        try (JobProcess first = JobProcess.start(command, dir, "first")) {
            first.awaitLine(first.out, READY, TIMEOUT_SECONDS);
            try (AgentConnection agent = AgentConnection.attach(first.pid())) {
                agent.checkpoint(); // warm-up: the first one also loads and warms the snapshot code
                for (int i = 0; i < checkpoints; i++) {
                    Thread.sleep(gapMillis);
                    agent.checkpoint();
                    pause[i] = agent.longAttribute("LastPauseMillis");
                    quiesce[i] = agent.longAttribute("LastQuiesceMicros");
                }
                bytes = agent.longAttribute("LastSnapshotBytes");
            }
        }
        long start = System.nanoTime();
        long restoreMillis;
        long wallMillis;
        try (JobProcess second = JobProcess.start(command, dir, "second")) {
            String line = second.awaitLine(second.err, RESUMED, TIMEOUT_SECONDS).group();
            wallMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            OptionalLong restored = AgentOutput.restoredMillis(line);
            restoreMillis = restored.orElseThrow();
            // A resume line followed by a crash, or by failing worker threads, would not be a resume.
            Thread.sleep(AFTER_RESUME_MILLIS);
            String err = Files.readString(second.err, StandardCharsets.UTF_8);
            if (!second.isAlive() || err.contains("Exception")) {
                notes.add(workers + " workers: the relaunched job " + (second.isAlive() ? "printed an exception"
                        : "exited") + " after its resume line; see " + second.err);
            }
        }
        return new String[] {Integer.toString(workers), Integer.toString(workers + 1),
                Long.toString(Percentiles.of(pause).p50()), Long.toString(Percentiles.of(quiesce).p50()),
                Long.toString(bytes), Long.toString(restoreMillis), Long.toString(wallMillis)};
    }

    private List<String> jobCommand(Path snapshots, String kind, int workers, String sleepMillis, String liveObjects,
            String... jvmExtra) {
        List<String> command = new ArrayList<>(List.of(javaExecutable()));
        command.addAll(List.of(jvmExtra));
        String jvmOptions = System.getProperty("bench.jobJvmOptions", "").strip();
        if (!jvmOptions.isEmpty()) {
            command.addAll(Arrays.asList(jvmOptions.split("\\s+")));
        }
        command.addAll(List.of("-javaagent:" + agentJar + "=dir=" + snapshots + ",include=bench.stasis.threads,timeout="
                + quiesceTimeout,
                "-cp", harnessJar.toString(), ThreadsJob.class.getName(), kind, Integer.toString(workers), sleepMillis,
                liveObjects));
        return command;
    }
}
