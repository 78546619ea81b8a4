package dev.stasis.agent.trigger;

import dev.stasis.agent.AgentLog;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Watches the signals that end a JVM abruptly (TERM, INT, HUP): such an end must not mark the run
 * finished, so that {@code restore=auto} resumes it. Each handler records the signal, optionally
 * runs an action (the {@code onterm=checkpoint} checkpoint, for TERM), then hands the signal to
 * the handler that was there before (the JVM's own, which exits with 128 + signal number).
 */
public final class TerminationSignals {
    private static final List<String> ABRUPT = List.of("TERM", "INT", "HUP");

    private final AtomicBoolean arrived = new AtomicBoolean();

    /** True once a terminating signal reached this JVM. */
    public boolean arrived() {
        return arrived.get();
    }

    /**
     * Installs the handlers. {@code onTerm} runs on the signal's thread before the JVM exits;
     * a signal the JVM does not let Java handle (e.g. under {@code -Xrs}) is skipped. It returns
     * whether the JVM should still end: false only in a process that CRIU has just restored from
     * the image that this very checkpoint took, where the signal belonged to the process that was
     * dumped, not to this one.
     */
    public void install(BooleanSupplier onTerm) {
        for (String name : ABRUPT) {
            try {
                Signal signal = new Signal(name);
                Chained handler = new Chained(arrived, "TERM".equals(name) ? onTerm : () -> true);
                handler.previous = Signal.handle(signal, handler);
                if (handler.previous == SignalHandler.SIG_IGN) {
                    // The program ignores this signal: so do we, and it ends nothing.
                    Signal.handle(signal, SignalHandler.SIG_IGN);
                }
            } catch (IllegalArgumentException e) {
                AgentLog.debug(e);
            }
        }
    }

    /** Records, acts, then behaves as the handler it replaced. */
    static final class Chained implements SignalHandler {
        private final AtomicBoolean arrived;
        private final BooleanSupplier action;
        volatile SignalHandler previous = SignalHandler.SIG_DFL;

        Chained(AtomicBoolean arrived, BooleanSupplier action) {
            this.arrived = arrived;
            this.action = action;
        }

        @Override
        public void handle(Signal signal) {
            SignalHandler next = previous;
            if (next == SignalHandler.SIG_IGN) {
                return;
            }
            arrived.set(true);
            try {
                if (!action.getAsBoolean()) {
                    arrived.set(false);
                    return;
                }
            } catch (Throwable t) {
                AgentLog.warn("handling " + signal + " failed, exiting as usual: " + t);
            }
            if (next == SignalHandler.SIG_DFL) {
                // What the default disposition would have done to a JVM: exit with 128 + number.
                Runtime.getRuntime().exit(128 + signal.getNumber());
            } else {
                next.handle(signal);
            }
        }
    }
}
