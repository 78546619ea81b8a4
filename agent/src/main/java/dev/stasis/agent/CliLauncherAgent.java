package dev.stasis.agent;

import java.lang.instrument.Instrumentation;

/**
 * The agent jar's {@code Launcher-Agent-Class}: when the jar runs as a program
 * ({@code java -jar stasis-agent.jar verify ...}), this runs before the command and opens
 * {@code java.base} to it, as the agent does for itself, so that reading a snapshot (Kryo's field
 * access to JDK collections, lambdas rebuilt in their capturing class) works without
 * {@code --add-opens} flags. It does nothing else.
 */
public final class CliLauncherAgent {
    private CliLauncherAgent() {
    }

    public static void agentmain(String arguments, Instrumentation instrumentation) {
        ModuleOpener.openJavaBase(instrumentation, CliLauncherAgent.class.getModule());
    }
}
