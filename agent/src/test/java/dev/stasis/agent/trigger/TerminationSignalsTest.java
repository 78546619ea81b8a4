package dev.stasis.agent.trigger;

import dev.stasis.agent.testing.FakeRuntime;
import dev.stasis.agent.testing.StderrCapture;
import org.junit.jupiter.api.Test;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** The handlers are driven directly: raising a real TERM would end the test JVM (the integration tests do that). */
class TerminationSignalsTest {
    private final List<String> events = new ArrayList<>();
    private final AtomicBoolean arrived = new AtomicBoolean();

    private TerminationSignals.Chained handler(Runnable action, SignalHandler previous) {
        TerminationSignals.Chained h = new TerminationSignals.Chained(arrived, () -> {
            action.run();
            return true;
        });
        h.previous = previous;
        return h;
    }

    @Test
    void records_the_signal_runs_the_action_then_chains_to_the_previous_handler() {
        SignalHandler jvmHandler = sig -> events.add("previous " + sig.getName() + " arrived=" + arrived.get());

        handler(() -> events.add("checkpoint"), jvmHandler).handle(new Signal("TERM"));

        assertThat(events).containsExactly("checkpoint", "previous TERM arrived=true");
    }

    @Test
    void an_action_that_says_the_process_goes_on_ends_nothing_and_unrecords_the_signal() {
        SignalHandler jvmHandler = sig -> events.add("previous");
        TerminationSignals.Chained h = new TerminationSignals.Chained(arrived, () -> {
            events.add("checkpoint, then restored by CRIU");
            return false;
        });
        h.previous = jvmHandler;

        h.handle(new Signal("TERM"));

        assertThat(events).containsExactly("checkpoint, then restored by CRIU");
        assertThat(arrived).as("a restored process was not terminated: its orderly end must mark the run finished").isFalse();
    }

    @Test
    void a_failing_action_does_not_stop_the_chain() {
        SignalHandler jvmHandler = sig -> events.add("previous");

        try (StderrCapture err = new StderrCapture()) {
            handler(() -> {
                throw new IllegalStateException("disk full");
            }, jvmHandler).handle(new Signal("TERM"));

            assertThat(err.text()).isEqualTo("stasis: handling SIGTERM failed, exiting as usual: java.lang.IllegalStateException: disk full"
                    + System.lineSeparator());
        }
        assertThat(events).containsExactly("previous");
        assertThat(arrived).isTrue();
    }

    @Test
    void an_ignored_signal_is_not_recorded_and_runs_nothing() {
        handler(() -> events.add("checkpoint"), SignalHandler.SIG_IGN).handle(new Signal("INT"));

        assertThat(events).isEmpty();
        assertThat(arrived).isFalse();
    }

    /**
     * The handlers are set to known ones first: a JVM started with a signal ignored (under {@code nohup}, HUP) keeps
     * it ignored, so what the test finds otherwise depends on how it was launched.
     */
    @Test
    void install_chains_the_handlers_keeps_an_ignored_signal_ignored_and_records_nothing_before_a_signal() {
        List<Signal> abrupt = List.of(new Signal("TERM"), new Signal("INT"), new Signal("HUP"));
        SignalHandler program = signal -> events.add("program " + signal.getName());
        List<SignalHandler> original = new ArrayList<>();
        for (Signal s : abrupt) {
            original.add(Signal.handle(s, s.getName().equals("HUP") ? SignalHandler.SIG_IGN : program));
        }
        TerminationSignals signals = new TerminationSignals();
        try {
            signals.install(() -> true);

            for (Signal s : List.of(abrupt.get(0), abrupt.get(1))) {
                SignalHandler installed = Signal.handle(s, program);
                assertThat(installed).as(s.getName()).isInstanceOf(TerminationSignals.Chained.class);
                // sun.misc.Signal hands out a fresh wrapper around the same handler each time.
                assertThat(((TerminationSignals.Chained) installed).previous).hasToString(program.toString());
            }
            assertThat(Signal.handle(abrupt.get(2), SignalHandler.SIG_IGN)).as("HUP, ignored before")
                    .isSameAs(SignalHandler.SIG_IGN);
            assertThat(signals.arrived()).isFalse();
            assertThat(events).isEmpty();
        } finally {
            for (int i = 0; i < abrupt.size(); i++) {
                Signal.handle(abrupt.get(i), original.get(i));
            }
        }
    }

    @Test
    void finish_hook_marks_the_run_finished_after_an_orderly_end() {
        FakeRuntime runtime = new FakeRuntime();

        FinishOnExit hook = new FinishOnExit(runtime, () -> false);
        assertThat(hook.exiting()).isFalse();

        hook.run();

        assertThat(runtime.finished()).isTrue();
        assertThat(hook.exiting()).as("tells the interval trigger to stop").isTrue();
    }

    @Test
    void finish_hook_leaves_the_run_resumable_after_a_terminating_signal() {
        FakeRuntime runtime = new FakeRuntime();

        new FinishOnExit(runtime, () -> true).run();

        assertThat(runtime.finished()).isFalse();
    }
}
