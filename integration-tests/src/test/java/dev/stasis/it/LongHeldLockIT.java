package dev.stasis.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A thread that holds a {@code ReentrantLock}, or the monitor of a {@code synchronized} block, for longer
 * than the checkpoint's {@code timeout=}: the CLI's checkpoint fails with a message naming the thread, the
 * lock and the frame, no snapshot is written, and the program goes on to finish its work unharmed. A lock
 * taken through method references ({@code methodref}), which Stasis cannot count, lets the thread stop at its
 * polls; that checkpoint fails at the cut instead, with the same guarantees.
 */
class LongHeldLockIT {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);
    private static final Pattern RESULT = Pattern.compile("RESULT kind=(\\w+) rounds=(\\d+) sum=(\\d+)");

    @TempDir
    Path work;

    @ParameterizedTest
    @ValueSource(strings = {"lock", "monitor", "methodref"})
    void a_lock_held_past_the_timeout_fails_the_checkpoint_naming_it_and_the_program_finishes(String kind) {
        Path snapshots = work.resolve("snapshots");
        JvmCommand command = JvmCommand.of(Samples.LONG_HELD_LOCK, kind, "8")
                .withAgent("dir=" + snapshots + ",timeout=2s");
        try (ForkedJvm jvm = ForkedJvm.start(command, work, kind)) {
            jvm.awaitLine(line -> line.equals("holding"), "that the holder took the " + kind, START_TIMEOUT);
            AgentCli.Result checkpoint = AgentCli.checkpoint(jvm, work);
            boolean stillHolding = jvm.isAlive() && jvm.stdoutLines().stream().noneMatch(line -> line.startsWith("RESULT"));

            assertThat(stillHolding).as("the lock was held through the attempt (else this test proves nothing)\n"
                    + jvm.describe()).isTrue();
            assertThat(checkpoint.exitCode()).as(checkpoint.describe()).isNotZero();
            String lock = kind.equals("monitor") ? "java.lang.Object@" : "java.util.concurrent.locks.ReentrantLock";
            String frame = kind.equals("monitor") ? "LongHeldLock.holdMonitor" : "LongHeldLock.countFor";
            String why = kind.equals("methodref") ? "held outside a call site Stasis tracks" : "a thread is captured only";
            assertThat(checkpoint.stderr()).as(checkpoint.describe())
                    .startsWith("stasis:")
                    .contains("holder")
                    .contains(lock)
                    .contains(frame)
                    .contains(why);
            SnapshotDirectory directory = new SnapshotDirectory(snapshots);
            assertThat(directory.newestSnapshotId()).as("no snapshot written").isEmpty();
            assertThat(directory.temporary()).as("no temporary file left").isEmpty();

            assertThat(jvm.awaitExit(RUN_TIMEOUT)).as(jvm.describe()).isZero();
            assertThat(jvm.stderr()).as(jvm.describe()).doesNotContain("Exception");
            String result = SampleOutput.resultOf(jvm);
            Matcher matcher = RESULT.matcher(result);
            assertThat(matcher.matches()).as(result).isTrue();
            long rounds = Long.parseLong(matcher.group(2));
            assertThat(matcher.group(1)).isEqualTo(kind);
            assertThat(rounds).as("rounds counted while holding for 8 s\n" + jvm.describe()).isGreaterThan(50);
            assertThat(Long.parseLong(matcher.group(3))).as("every round whole: " + result).isEqualTo(rounds * 500_500L);
        }
    }
}
