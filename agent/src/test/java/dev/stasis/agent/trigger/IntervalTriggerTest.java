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
        Thread thread = IntervalTrigger.start(runtime, Duration.ofMillis(20));
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
            new IntervalTrigger(runtime, Duration.ofSeconds(1)).checkpointOnce();

            assertThat(err.text()).isEqualTo("stasis: checkpoint failed: thread main did not reach a safepoint within 10s: "
                    + "blocked in com.acme.Job.run" + System.lineSeparator());
        }
    }

    @Test
    void an_unexpected_engine_error_is_one_line_too() {
        FakeRuntime runtime = new FakeRuntime().crashingWith(new IllegalStateException("boom"));
        try (StderrCapture err = new StderrCapture()) {
            new IntervalTrigger(runtime, Duration.ofSeconds(1)).checkpointOnce();

            assertThat(err.text()).isEqualTo("stasis: checkpoint failed: java.lang.IllegalStateException: boom" + System.lineSeparator());
        }
    }
}
