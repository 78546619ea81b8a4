package bench.stasis.overhead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class OverheadReportTest {

    @Test
    void ratio_is_mean_time_with_agent_over_mean_time_without() {
        OverheadReport report = new OverheadReport("us/op");
        report.add("fib30", ForkSide.PLAIN, 100);
        report.add("fib30", ForkSide.PLAIN, 300);
        report.add("fib30", ForkSide.AGENT, 250);
        report.add("fib30", ForkSide.AGENT, 250);

        assertThat(report.ratios()).containsEntry("fib30", 1.25);
    }

    @Test
    void geometric_mean_of_reciprocal_ratios_is_one() {
        assertThat(OverheadReport.geometricMean(List.of(2.0, 0.5, 1.1, 1 / 1.1))).isCloseTo(1.0, within(1e-12));
        assertThatThrownBy(() -> OverheadReport.geometricMean(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void verdict_fails_when_one_case_exceeds_twenty_percent_even_if_the_mean_is_low() {
        OverheadReport report = new OverheadReport("us/op");
        for (String benchmark : List.of("a", "b", "c", "d", "e", "f")) {
            report.add(benchmark, ForkSide.PLAIN, 100);
            report.add(benchmark, ForkSide.AGENT, benchmark.equals("f") ? 125 : 99);
        }

        String rendered = report.render(List.of("a", "b", "c", "d", "e", "f"));

        assertThat(rendered).contains("Worst case: f +25.0 %").contains("Targets NOT met.");
    }

    @Test
    void verdict_passes_within_both_targets() {
        OverheadReport report = new OverheadReport("us/op");
        report.add("a", ForkSide.PLAIN, 100);
        report.add("a", ForkSide.AGENT, 104);
        report.add("b", ForkSide.PLAIN, 100);
        report.add("b", ForkSide.AGENT, 102);

        assertThat(report.render(List.of("a", "b"))).contains("| a | 100.0 | 104.0 | 1.040 | +4.0 % |")
                .contains("Targets met.");
    }

    @Test
    void benchmark_missing_on_one_side_is_shown_as_failed_and_the_targets_are_not_met() {
        OverheadReport report = new OverheadReport("us/op");
        report.add("a", ForkSide.PLAIN, 100);
        report.add("a", ForkSide.AGENT, 100);
        report.add("b", ForkSide.PLAIN, 100);

        String rendered = report.render(List.of("a", "b"));

        assertThat(rendered).contains("| b | 100.0 | failed | - | - |")
                .contains("Missing on at least one side (see the JMH log): b.")
                .contains("Targets NOT met.");
    }

    @Test
    void every_benchmark_method_is_listed_for_the_report() {
        assertThat(OverheadRunner.benchmarkNames(".*")).containsExactly("arrayPrefixSumLong", "arraySumInt", "fib30",
                "hashMapArrayList", "lockUnlockUncontended", "sat4jPigeonhole", "smallObjectAllocation",
                "synchronizedBlockCalls");
    }

    @Test
    void only_the_benchmarks_bench_include_selects_are_listed() {
        assertThat(OverheadRunner.benchmarkNames("fib30|array.*")).containsExactly("arrayPrefixSumLong", "arraySumInt",
                "fib30");
    }
}
