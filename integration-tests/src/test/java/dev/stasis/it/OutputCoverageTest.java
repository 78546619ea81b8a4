package dev.stasis.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class OutputCoverageTest {

    private static final List<String> RUN = List.of("step 1", "step 2", "step 3", "step 4", "step 5", "RESULT 7");

    private static OutputCoverage.Attempt fresh(String name, String partial, String... lines) {
        return new OutputCoverage.Attempt(name, true, List.of(lines), partial);
    }

    private static OutputCoverage.Attempt resumed(String name, String partial, String... lines) {
        return new OutputCoverage.Attempt(name, false, List.of(lines), partial);
    }

    @Test
    void overlapping_slices_that_cover_the_run_in_order_pass() {
        List<OutputCoverage.Slice> slices = OutputCoverage.check(RUN, List.of(
                fresh("a", "ste", "step 1", "step 2"),
                resumed("b", "", "step 2", "step 3", "step 4"),
                resumed("c", "", "step 4", "step 5", "RESULT 7")));

        assertThat(slices).containsExactly(new OutputCoverage.Slice("a", 0, 2), new OutputCoverage.Slice("b", 1, 4),
                new OutputCoverage.Slice("c", 3, 6));
    }

    @Test
    void an_attempt_killed_before_printing_anything_passes() {
        OutputCoverage.check(RUN, List.of(
                fresh("a", "", "step 1", "step 2"),
                resumed("b", "", new String[0]),
                resumed("c", "", "step 3", "step 4", "step 5", "RESULT 7")));
    }

    @Test
    void a_gap_between_attempts_is_a_lost_line() {
        assertThatThrownBy(() -> OutputCoverage.check(RUN, List.of(
                fresh("a", "", "step 1", "step 2"),
                resumed("b", "", "step 4", "step 5", "RESULT 7"))))
                .hasMessageContaining("the output of b does not continue")
                .hasMessageContaining("lines 2..2 were never printed");
    }

    @Test
    void a_changed_or_repeated_line_inside_an_attempt_is_caught() {
        assertThatThrownBy(() -> OutputCoverage.check(RUN, List.of(
                fresh("a", "", "step 1", "step 2", "step 2", "step 3"))))
                .hasMessageContaining("first difference at line 2: expected 'step 3', printed 'step 2'");
    }

    @Test
    void an_attempt_going_back_before_the_previous_one_is_caught() {
        assertThatThrownBy(() -> OutputCoverage.check(RUN, List.of(
                fresh("a", "", "step 1", "step 2", "step 3"),
                resumed("b", "", "step 3"),
                resumed("c", "", "step 2", "step 3", "step 4", "step 5", "RESULT 7"))))
                .hasMessageContaining("the output of c")
                .hasMessageContaining("before the previous attempt's start 2");
    }

    @Test
    void a_fresh_start_that_does_not_begin_at_the_first_line_is_caught() {
        assertThatThrownBy(() -> OutputCoverage.check(RUN, List.of(
                fresh("a", "", "step 1", "step 2"),
                fresh("b", "", "step 2", "step 3", "step 4", "step 5", "RESULT 7"))))
                .hasMessageContaining("it started without a snapshot");
    }

    @Test
    void a_run_that_never_reaches_its_result_is_caught() {
        assertThatThrownBy(() -> OutputCoverage.check(RUN, List.of(
                fresh("a", "", "step 1", "step 2", "step 3", "step 4", "step 5"))))
                .hasMessageContaining("printed 5 of the uninterrupted run's 6 lines");
    }

    @Test
    void a_cut_off_line_that_is_not_the_next_line_is_caught() {
        assertThatThrownBy(() -> OutputCoverage.check(RUN, List.of(
                fresh("a", "step 9", "step 1"),
                resumed("b", "", "step 2", "step 3", "step 4", "step 5", "RESULT 7"))))
                .hasMessageContaining("its cut-off last line 'step 9' does not begin line 1");
    }
}
