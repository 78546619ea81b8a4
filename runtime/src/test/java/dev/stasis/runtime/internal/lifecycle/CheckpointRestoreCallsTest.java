package dev.stasis.runtime.internal.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stasis.rt.crac.CheckpointRestoreCall;
import dev.stasis.rt.crac.RestoreException;
import dev.stasis.runtime.CheckpointException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a rewritten {@code checkpointRestore()} call sees: the loop it waits in, and how it returns or throws. */
class CheckpointRestoreCallsTest {
    private final List<String> checkpointThreads = Collections.synchronizedList(new ArrayList<>());

    @Test
    void the_checkpoint_runs_on_a_stasis_thread_and_the_call_returns_once_it_is_done() throws Exception {
        CheckpointRestoreCalls calls = new CheckpointRestoreCalls(() -> {
            checkpointThreads.add(Thread.currentThread().getName());
            return List.of();
        });

        calls.request();
        awaitDone(calls);
        calls.finish();

        assertThat(checkpointThreads).containsExactly("stasis-checkpoint-restore");
    }

    @Test
    void resources_that_refused_the_checkpoint_are_the_suppressed_causes_as_jdk_crac_reports_them() {
        IllegalStateException refusal = new IllegalStateException("port busy");
        CheckpointRestoreCalls calls = new CheckpointRestoreCalls(() -> {
            ResourceCheckpointException refused = new ResourceCheckpointException("org.crac resources refused the checkpoint");
            refused.addSuppressed(refusal);
            throw refused;
        });

        calls.request();
        awaitDone(calls);

        assertThatThrownBy(calls::finish)
                .isInstanceOf(dev.stasis.rt.crac.CheckpointException.class)
                .hasMessage("org.crac resources refused the checkpoint")
                .satisfies(e -> assertThat(e.getSuppressed()).containsExactly(refusal));
    }

    @Test
    void a_checkpoint_that_failed_for_another_reason_is_itself_the_suppressed_cause() {
        CheckpointException diskFull = new CheckpointException("could not write snapshot 000002: No space left on device");
        CheckpointRestoreCalls calls = new CheckpointRestoreCalls(() -> {
            throw diskFull;
        });

        calls.request();
        awaitDone(calls);

        assertThatThrownBy(calls::finish)
                .isInstanceOf(dev.stasis.rt.crac.CheckpointException.class)
                .hasMessage(diskFull.getMessage())
                .satisfies(e -> assertThat(e.getSuppressed()).containsExactly(diskFull));
    }

    @Test
    void after_restore_failures_after_the_checkpoint_are_a_restore_exception() {
        IOException failure = new IOException("cannot bind");
        CheckpointRestoreCalls calls = new CheckpointRestoreCalls(() -> List.of(failure));

        calls.request();
        awaitDone(calls);

        assertThatThrownBy(calls::finish)
                .isInstanceOf(RestoreException.class)
                .hasMessage("org.crac resources failed in afterRestore: java.io.IOException: cannot bind")
                .satisfies(e -> assertThat(e.getSuppressed()).containsExactly(failure));
    }

    @Test
    void a_thread_resumed_after_a_relaunch_finds_no_call_and_returns_or_throws_what_afterRestore_threw_once()
            throws Exception {
        IOException failure = new IOException("cannot bind");
        CheckpointRestoreCalls calls = new CheckpointRestoreCalls(() -> {
            throw new AssertionError("no checkpoint may start after a relaunch");
        });
        assertThat(calls.awaitDone()).isTrue();
        calls.finish();

        calls.relaunched(List.of(failure));

        assertThat(calls.awaitDone()).isTrue();
        assertThatThrownBy(calls::finish).isInstanceOf(RestoreException.class)
                .satisfies(e -> assertThat(e.getSuppressed()).containsExactly(failure));
        calls.finish();
    }

    @Test
    void the_call_site_gets_org_crac_exceptions_as_its_own_loader_sees_them() {
        IllegalStateException refusal = new IllegalStateException("port busy");
        CheckpointRestoreCall.install(new CheckpointRestoreCalls(() -> {
            ResourceCheckpointException refused = new ResourceCheckpointException("refused");
            refused.addSuppressed(refusal);
            throw refused;
        }));

        CheckpointRestoreCall.request();
        while (!CheckpointRestoreCall.awaitDone()) {
            Thread.onSpinWait();
        }

        assertThatThrownBy(() -> CheckpointRestoreCall.finish(getClass()))
                .isInstanceOf(org.crac.CheckpointException.class)
                .hasMessage("refused")
                .satisfies(e -> assertThat(e.getSuppressed()).containsExactly(refusal));
    }

    /** The loop the rewritten call site runs (without its poll). */
    private static void awaitDone(CheckpointRestoreCalls calls) {
        while (!calls.awaitDone()) {
            Thread.onSpinWait();
        }
    }
}
