package dev.stasis.agent;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LaunchCommandTest {

    @Test
    void splits_main_class_and_arguments() {
        assertThat(LaunchCommand.of("com.acme.Job in.csv  out.csv"))
                .isEqualTo(new LaunchCommand("com.acme.Job", List.of("in.csv", "out.csv")));
    }

    @Test
    void a_jar_launch_reports_the_jar() {
        assertThat(LaunchCommand.of("job.jar --fast")).isEqualTo(new LaunchCommand("job.jar", List.of("--fast")));
    }

    @Test
    void no_command_means_empty() {
        assertThat(LaunchCommand.of(null)).isEqualTo(new LaunchCommand("", List.of()));
        assertThat(LaunchCommand.of("  ")).isEqualTo(new LaunchCommand("", List.of()));
    }
}
