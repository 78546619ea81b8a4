package bench.stasis.overhead;

import bench.stasis.report.Reports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link OverheadBenchmark} in forks with and without the agent, in one run, and prints
 * the comparison. Forks alternate sides in the order plain, agent, agent, plain, ... so that a
 * slow drift of the machine's speed weighs on both sides alike.
 *
 * <p>System properties: {@code stasis.agent.jar} (required), {@code bench.forks} per side (2),
 * {@code bench.warmups} (3), {@code bench.measurements} (5), {@code bench.seconds} per iteration
 * (2), {@code bench.heap} for both sides (1g), {@code bench.include} (regex of benchmark method names, all),
 * {@code bench.agentOptions} (more agent options, e.g. {@code exclude=org.openjdk.jmh}),
 * {@code bench.report} (file to append the table to).
 */
public final class OverheadRunner {
    private OverheadRunner() {
    }

    public static void main(String[] args) throws RunnerException, IOException {
        Path agentJar = Path.of(requiredProperty("stasis.agent.jar"));
        if (!Files.isRegularFile(agentJar)) {
            throw new IllegalArgumentException("No agent jar at " + agentJar.toAbsolutePath()
                    + " (-Dstasis.agent.jar). Build it first: mvn -q -B -DskipTests package at the repository root.");
        }
        int forksPerSide = Integer.getInteger("bench.forks", 2);
        Path snapshots = Files.createTempDirectory("stasis-bench-snapshots-");
        OverheadReport report = new OverheadReport("µs/op");
        for (int fork = 0; fork < forksPerSide; fork++) {
            List<ForkSide> order = fork % 2 == 0 ? List.of(ForkSide.PLAIN, ForkSide.AGENT)
                    : List.of(ForkSide.AGENT, ForkSide.PLAIN);
            for (ForkSide side : order) {
                System.out.printf("%n=== fork %d of %d, %s ===%n", fork + 1, forksPerSide, side.label);
                collect(new Runner(options(side, agentJar, snapshots)).run(), side, report);
            }
        }
        Reports.publish("### Agent overhead, no checkpoint running (JMH, average time per operation, ± 99.9 % CI)\n\n"
                + report.render(benchmarkNames(System.getProperty("bench.include", ".*"))));
    }

    private static Options options(ForkSide side, Path agentJar, Path snapshots) {
        int seconds = Integer.getInteger("bench.seconds", 2);
        String heap = System.getProperty("bench.heap", "1g");
        List<String> sideArgs = new ArrayList<>(List.of("-D" + ForkSide.PROPERTY + "=" + side.id));
        if (side == ForkSide.AGENT) {
            String extra = System.getProperty("bench.agentOptions", "").strip();
            sideArgs.add("-javaagent:" + agentJar.toAbsolutePath() + "=dir=" + snapshots.toAbsolutePath()
                    + (extra.isEmpty() ? "" : "," + extra));
        }
        return new OptionsBuilder()
                .include(OverheadBenchmark.class.getName() + "\\.(" + System.getProperty("bench.include", ".*") + ")$")
                .forks(1)
                .warmupIterations(Integer.getInteger("bench.warmups", 3))
                .warmupTime(TimeValue.seconds(seconds))
                .measurementIterations(Integer.getInteger("bench.measurements", 5))
                .measurementTime(TimeValue.seconds(seconds))
                // Replaces the host JVM's arguments, which JMH would otherwise pass on to the forks.
                .jvmArgs("-Xms" + heap, "-Xmx" + heap)
                .jvmArgsAppend(sideArgs.toArray(String[]::new))
                .build();
    }

    private static void collect(Collection<RunResult> results, ForkSide side, OverheadReport report) {
        for (RunResult run : results) {
            String benchmark = shortName(run.getParams().getBenchmark());
            for (BenchmarkResult forkResult : run.getBenchmarkResults()) {
                for (IterationResult iteration : forkResult.getIterationResults()) {
                    report.add(benchmark, side, iteration.getPrimaryResult().getScore());
                }
            }
        }
    }

    /**
     * Every benchmark method that {@code include} selects, so one that failed on both sides still
     * gets a row (and one left out by {@code bench.include} is not reported as failed).
     */
    static List<String> benchmarkNames(String include) {
        return Arrays.stream(OverheadBenchmark.class.getMethods())
                .filter(method -> method.isAnnotationPresent(Benchmark.class))
                .map(method -> method.getName())
                .filter(name -> name.matches(include))
                .sorted()
                .collect(Collectors.toList());
    }

    private static String shortName(String benchmark) {
        return benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }

    private static String requiredProperty(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("Missing -D" + name + "; benchmarks/run.sh sets it.");
        }
        return value;
    }
}
