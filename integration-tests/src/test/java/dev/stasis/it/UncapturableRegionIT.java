package dev.stasis.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint requested while {@code main} is inside {@code List.sort} (application comparator
 * called from JDK frames) cannot be taken: it must give up after its timeout, say which thread
 * and frame blocked it, and leave the program to finish correctly.
 */
class UncapturableRegionIT {

    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);

    @TempDir
    Path work;

    @Test
    void gives_up_a_checkpoint_in_an_uncapturable_region_naming_the_frame_and_the_program_finishes() {
        JvmCommand command = JvmCommand.of(Samples.UNCAPTURABLE_SORT)
                .withAgent("dir=" + work.resolve("snapshots") + ",timeout=2s");
        String expected = UninterruptedRuns.resultOf(command);
        try (ForkedJvm jvm = ForkedJvm.start(command, work, "sort")) {
            jvm.awaitLine(line -> line.startsWith("sorting "), "that it started sorting", Duration.ofSeconds(60));
            AgentCli.Result checkpoint = AgentCli.checkpoint(jvm, work);
            boolean stillSorting = jvm.isAlive() && jvm.stdoutLines().stream().noneMatch(line -> line.startsWith("compared "));

            assertThat(stillSorting).as("the sort outlasted the checkpoint attempt (else this test proves nothing)\n"
                    + jvm.describe()).isTrue();
            assertThat(checkpoint.exitCode()).as(checkpoint.describe()).isNotZero();
            assertThat(checkpoint.stderr()).as(checkpoint.describe())
                    .startsWith("stasis:")
                    .contains("main")
                    .containsPattern("java[./]util[./]");
            assertThat(jvm.awaitExit(RUN_TIMEOUT)).as(jvm.describe()).isZero();
            assertThat(SampleOutput.resultOf(jvm)).as(jvm.describe()).isEqualTo(expected);
        }
    }
}
