package dev.stasis.runtime.internal.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.runtime.internal.capture.ApplicationThreads;
import org.junit.jupiter.api.Test;

class SnapshotWarmUpTest {
    @Test
    void warms_up_on_a_low_priority_daemon_that_a_checkpoint_does_not_count_as_the_program() throws Exception {
        Thread warmup = SnapshotWarmUp.startInBackground();

        assertThat(warmup.isDaemon()).isTrue();
        assertThat(warmup.getPriority()).isEqualTo(Thread.MIN_PRIORITY);
        assertThat(ApplicationThreads.isApplicationThread(warmup)).isFalse();
        warmup.join(30_000);
        assertThat(warmup.isAlive()).as("the warm-up ends by itself").isFalse();
    }
}
