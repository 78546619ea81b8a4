package bench.stasis.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AgentOutputTest {

    @Test
    void reads_the_restore_time_from_the_resume_line() {
        assertThat(AgentOutput.restoredMillis("stasis: resumed from snapshot 20261126-0815-ab12 (3 classes) restored in 42 ms"))
                .hasValue(42);
    }

    @Test
    void ignores_other_stderr_lines() {
        assertThat(AgentOutput.restoredMillis("stasis: agent started, dir=/tmp/x")).isEmpty();
    }
}
