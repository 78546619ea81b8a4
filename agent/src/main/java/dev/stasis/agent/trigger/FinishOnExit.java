package dev.stasis.agent.trigger;

import dev.stasis.agent.AgentLog;
import dev.stasis.runtime.StasisRuntime;

import java.util.function.BooleanSupplier;

/**
 * Marks the run finished when the JVM ends in an orderly way ({@code main} returned, or
 * {@code System.exit}), so {@code restore=auto} starts the next launch fresh. Not after a
 * terminating signal (the run was interrupted: resume it) and, necessarily, never after
 * {@code kill -9}, which runs no hook at all.
 */
public final class FinishOnExit implements Runnable {
    public static final String THREAD_NAME = "stasis-finish";

    private final StasisRuntime runtime;
    private final BooleanSupplier interrupted;

    FinishOnExit(StasisRuntime runtime, BooleanSupplier interrupted) {
        this.runtime = runtime;
        this.interrupted = interrupted;
    }

    public static void install(StasisRuntime runtime, TerminationSignals signals) {
        Runtime.getRuntime().addShutdownHook(new Thread(new FinishOnExit(runtime, signals::arrived), THREAD_NAME));
    }

    @Override
    public void run() {
        if (interrupted.getAsBoolean()) {
            return;
        }
        try {
            runtime.markFinished();
        } catch (Throwable t) {
            AgentLog.warn("could not mark the run finished, restore=auto may resume it: " + t);
        }
    }
}
