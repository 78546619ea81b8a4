package dev.stasis.agent.trigger;

import dev.stasis.agent.testing.FakeRuntime;
import dev.stasis.agent.testing.StderrCapture;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class IntervalTriggerTest {

    @Test
    void checkpoints_repeatedly_on_a_daemon_thread_named_stasis_interval() throws Exception {
        FakeRuntime runtime = new FakeRuntime();
        Thread thread = IntervalTrigger.start(runtime, Duration.ofMillis(20), () -> true);
        try {
            assertThat(thread.getName()).isEqualTo("stasis-interval");
            assertThat(thread.isDaemon()).isTrue();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (runtime.checkpointCalls() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(runtime.checkpointCalls()).isGreaterThanOrEqualTo(3);
        } finally {
            thread.interrupt();
            thread.join(10_000);
        }
        assertThat(thread.isAlive()).isFalse();
    }

    @Test
    void a_failed_checkpoint_is_one_stderr_line_and_never_thrown() {
        FakeRuntime runtime = new FakeRuntime().failingWith("thread main did not reach a safepoint within 10s: blocked in com.acme.Job.run");
        try (StderrCapture err = new StderrCapture()) {
            assertThat(new IntervalTrigger(runtime, Duration.ofSeconds(1), () -> true).checkpointOnce()).isTrue();

            assertThat(err.text()).isEqualTo("stasis: checkpoint failed: thread main did not reach a safepoint within 10s: "
                    + "blocked in com.acme.Job.run" + System.lineSeparator());
        }
    }

    @Test
    void an_unexpected_engine_error_is_one_line_too() {
        FakeRuntime runtime = new FakeRuntime().crashingWith(new IllegalStateException("boom"));
        try (StderrCapture err = new StderrCapture()) {
            assertThat(new IntervalTrigger(runtime, Duration.ofSeconds(1), () -> true).checkpointOnce()).isTrue();

            assertThat(err.text()).isEqualTo("stasis: checkpoint failed: java.lang.IllegalStateException: boom" + System.lineSeparator());
        }
    }

    @Test
    void a_failure_after_the_program_ended_is_silent_and_stops_the_trigger() {
        FakeRuntime runtime = new FakeRuntime().failingWith("cannot checkpoint: thread main has ended");
        try (StderrCapture err = new StderrCapture()) {
            assertThat(new IntervalTrigger(runtime, Duration.ofSeconds(1), () -> false).checkpointOnce()).isFalse();

            assertThat(err.text()).isEmpty();
        }
    }

    @Test
    void a_checkpoint_that_finds_every_thread_ended_is_the_program_ending_not_a_failure() {
        // The program's last thread ended before the exit hook ran: nothing to save, nothing to report.
        FakeRuntime runtime = new FakeRuntime().withNoThreadLeft();
        try (StderrCapture err = new StderrCapture()) {
            assertThat(new IntervalTrigger(runtime, Duration.ofSeconds(1), () -> true).checkpointOnce()).isFalse();

            assertThat(err.text()).isEmpty();
        }
    }

    @Test
    void stops_without_a_checkpoint_once_the_program_is_over() throws Exception {
        FakeRuntime runtime = new FakeRuntime();
        Thread thread = IntervalTrigger.start(runtime, Duration.ofMillis(10), () -> false);

        thread.join(10_000);

        assertThat(thread.isAlive()).isFalse();
        assertThat(runtime.checkpointCalls()).isZero();
    }
}
