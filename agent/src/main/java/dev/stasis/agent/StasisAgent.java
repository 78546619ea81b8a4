package dev.stasis.agent;

import dev.stasis.runtime.RestoreException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;

/**
 * Entry point of {@code -javaagent:stasis-agent.jar[=options]}.
 *
 * <p>This class must not mention any {@code dev.stasis.rt} type: those are injected into the
 * bootstrap loader here, and a reference resolved through the system loader before that would
 * leave two copies of the API. {@link AgentStartup} does the rest once they are in place.
 *
 * <p>Nothing here lets an exception reach the JVM (which would abort the launch): the only ways
 * the agent stops the program are the deliberate ones, a bad option string or a snapshot that must
 * not be resumed, both at launch, with exit code 2 and a message that says what to do.
 */
public final class StasisAgent {
    /** Exit code of a launch the agent refuses: the user must decide (fix options, restore=never). */
    static final int REFUSED = 2;

    private StasisAgent() {
    }

    public static void premain(String args, Instrumentation inst) {
        AgentOptions options;
        try {
            options = AgentOptions.parse(args, Path.of(System.getProperty("user.dir", ".")));
        } catch (AgentOptionsException e) {
            refuse(e.getMessage());
            return;
        } catch (Throwable t) {
            disabled(t);
            return;
        }
        try {
            // Opening first: the injection defines classes through jdk.internal.misc, which this exports to us.
            ModuleOpener.openJavaBase(inst, StasisAgent.class.getModule());
            BootstrapInjector.injectRuntimeApi(inst);
            ModuleOpener.openLocksTo(inst, BootstrapInjector.runtimeApiModule());
            AgentStartup.start(options, inst);
        } catch (RestoreException | AgentOptionsException e) {
            refuse(e.getMessage());
        } catch (Throwable t) {
            disabled(t);
        }
    }

    /**
     * A dynamic attach cannot work: the classes already loaded, {@code main}'s among them, stay
     * uninstrumented, so no stack of the program could ever be captured. Say so and do nothing.
     */
    public static void agentmain(String args, Instrumentation inst) {
        AgentLog.warn("the agent cannot be loaded into a running JVM (its classes are already loaded uninstrumented); "
                + "start the program with -javaagent:stasis-agent.jar");
    }

    private static void disabled(Throwable t) {
        AgentLog.warn("agent disabled, the program runs without checkpoints: " + reason(t));
        AgentLog.debug(t);
    }

    /** An I/O problem is best told by its message alone (it names the path); anything else by its type too. */
    private static String reason(Throwable t) {
        boolean io = t instanceof IOException || t instanceof UncheckedIOException;
        String reason = io && t.getMessage() != null ? t.getMessage() : t.toString();
        return reason.startsWith("stasis: ") ? reason.substring("stasis: ".length()) : reason;
    }

    /** Halt, not exit: no shutdown hook of a half-started agent or program may run. */
    private static void refuse(String message) {
        AgentLog.warn(message);
        Runtime.getRuntime().halt(REFUSED);
    }
}
