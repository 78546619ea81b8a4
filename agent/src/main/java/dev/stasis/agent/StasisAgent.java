package dev.stasis.agent;

import dev.stasis.runtime.RestoreException;

import java.lang.instrument.Instrumentation;
import java.nio.file.Path;

/**
 * Entry point of {@code -javaagent:stasis-agent.jar[=options]} and of a dynamic attach.
 *
 * <p>This class must not mention any {@code dev.stasis.rt} type: those are injected into the
 * bootstrap loader here, and a reference resolved through the system loader before that would
 * leave two copies of the API. {@link AgentStartup} does the rest once they are in place.
 *
 * <p>Nothing here lets an exception reach the JVM (which would abort the launch): the only ways
 * the agent stops the program are the deliberate ones, a bad option string or a snapshot that must
 * not be resumed, both at launch and with exit code 2 and a message that says what to do.
 */
public final class StasisAgent {
    /** Exit code of a launch the agent refuses: the user must decide (fix options, restore=never). */
    static final int REFUSED = 2;

    private StasisAgent() {
    }

    public static void premain(String args, Instrumentation inst) {
        start(args, inst, true);
    }

    /** A dynamic attach: never stops the running program, never restores. */
    public static void agentmain(String args, Instrumentation inst) {
        start(args, inst, false);
    }

    private static void start(String args, Instrumentation inst, boolean atLaunch) {
        AgentOptions options;
        try {
            options = AgentOptions.parse(args, Path.of(System.getProperty("user.dir", ".")));
        } catch (AgentOptionsException e) {
            if (atLaunch) {
                refuse(e.getMessage());
            }
            AgentLog.warn(e.getMessage() + "; the agent was not loaded");
            return;
        } catch (Throwable t) {
            disabled(t);
            return;
        }
        try {
            BootstrapInjector.injectRuntimeApi(inst);
            AgentStartup.start(options, inst, atLaunch);
        } catch (RestoreException e) {
            refuse(e.getMessage());
        } catch (Throwable t) {
            disabled(t);
        }
    }

    private static void disabled(Throwable t) {
        AgentLog.warn("agent disabled, the program runs without checkpoints: " + t);
        AgentLog.debug(t);
    }

    /** Halt, not exit: no shutdown hook of a half-started agent or program may run. */
    private static void refuse(String message) {
        AgentLog.warn(message);
        Runtime.getRuntime().halt(REFUSED);
    }
}
