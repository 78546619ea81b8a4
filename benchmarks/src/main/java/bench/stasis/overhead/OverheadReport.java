package bench.stasis.overhead;

import bench.stasis.report.MarkdownTable;
import bench.stasis.report.Reports;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.util.ListStatistics;

/**
 * Pools the measurement iterations of every fork per benchmark and side, and compares the sides:
 * ratio = mean time with the agent / mean time without (1.00 = no overhead).
 */
final class OverheadReport {
    /** The project's targets for the agent's idle overhead. */
    static final double GEOMEAN_TARGET = 1.05;
    static final double WORST_CASE_TARGET = 1.20;
    private static final double CONFIDENCE = 0.999;

    private final Map<String, Map<ForkSide, ListStatistics>> scores = new TreeMap<>();
    private final String unit;

    OverheadReport(String unit) {
        this.unit = unit;
    }

    void add(String benchmark, ForkSide side, double score) {
        scores.computeIfAbsent(benchmark, name -> new EnumMap<>(ForkSide.class))
                .computeIfAbsent(side, s -> new ListStatistics())
                .addValue(score);
    }

    /** Benchmarks measured on both sides, as ratios; a benchmark that failed on a side has none. */
    Map<String, Double> ratios() {
        Map<String, Double> ratios = new TreeMap<>();
        scores.forEach((benchmark, sides) -> {
            if (sides.containsKey(ForkSide.PLAIN) && sides.containsKey(ForkSide.AGENT)) {
                ratios.put(benchmark, sides.get(ForkSide.AGENT).getMean() / sides.get(ForkSide.PLAIN).getMean());
            }
        });
        return ratios;
    }

    static double geometricMean(Iterable<Double> values) {
        double logSum = 0;
        int count = 0;
        for (double value : values) {
            logSum += Math.log(value);
            count++;
        }
        if (count == 0) {
            throw new IllegalArgumentException("The geometric mean of no values is undefined");
        }
        return Math.exp(logSum / count);
    }

    String render(List<String> expectedBenchmarks) {
        MarkdownTable table = new MarkdownTable("benchmark", ForkSide.PLAIN.label + " (" + unit + ")",
                ForkSide.AGENT.label + " (" + unit + ")", "with / without", "overhead");
        List<String> failed = new ArrayList<>();
        Map<String, Double> ratios = ratios();
        for (String benchmark : expectedBenchmarks) {
            Map<ForkSide, ListStatistics> sides = scores.getOrDefault(benchmark, Map.of());
            Double ratio = ratios.get(benchmark);
            if (ratio == null) {
                failed.add(benchmark);
            }
            table.row(benchmark, cell(sides.get(ForkSide.PLAIN)), cell(sides.get(ForkSide.AGENT)),
                    ratio == null ? "-" : Reports.format(ratio, 3), ratio == null ? "-" : percent(ratio));
        }
        StringBuilder out = new StringBuilder(table.render()).append('\n');
        if (ratios.isEmpty()) {
            return out.append("No benchmark ran on both sides: no verdict.\n").toString();
        }
        double geomean = geometricMean(ratios.values());
        Map.Entry<String, Double> worst = ratios.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
        boolean met = failed.isEmpty() && geomean <= GEOMEAN_TARGET && worst.getValue() <= WORST_CASE_TARGET;
        out.append("Geometric mean of with/without: **").append(Reports.format(geomean, 3)).append("** (")
                .append(percent(geomean)).append("; target <= ").append(percent(GEOMEAN_TARGET)).append(").\n")
                .append("Worst case: ").append(worst.getKey()).append(' ').append(percent(worst.getValue()))
                .append(" (target: no case above ").append(percent(WORST_CASE_TARGET)).append(").\n");
        if (!failed.isEmpty()) {
            out.append("Missing on at least one side (see the JMH log): ").append(String.join(", ", failed)).append(".\n");
        }
        return out.append("Targets ").append(met ? "met" : "NOT met").append(".\n").toString();
    }

    private static String cell(ListStatistics statistics) {
        if (statistics == null) {
            return "failed";
        }
        String error = statistics.getN() > 2 ? " ± " + Reports.format(statistics.getMeanErrorAt(CONFIDENCE), 1) : "";
        return Reports.format(statistics.getMean(), 1) + error;
    }

    private static String percent(double ratio) {
        double change = (ratio - 1) * 100;
        return (change >= 0 ? "+" : "") + Reports.format(change, 1) + " %";
    }
}
