package bench.stasis.overhead;

import java.lang.reflect.Method;

/**
 * Guards the comparison: a fork launched as the agent side must really run instrumented code,
 * and a plain fork must run without the agent. Otherwise the two columns would measure the same
 * thing and the overhead would read as zero.
 */
final class AgentPresence {
    private static final String REGISTRY = "dev.stasis.runtime.internal.registry.InstrumentedClasses";

    private AgentPresence() {
    }

    /**
     * @param probe     an application class already loaded, so the agent has seen it
     * @param probeMethod name and descriptor of one of its methods that has a call or a loop
     */
    static void verifyMatchesFork(Class<?> probe, String probeMethod) {
        ForkSide side = ForkSide.ofFork();
        if (side == null) {
            return;
        }
        String key = probe.getName().replace('.', '/') + '.' + probeMethod;
        Boolean instrumented = instrumented(key);
        if (side == ForkSide.AGENT && !Boolean.TRUE.equals(instrumented)) {
            throw new IllegalStateException("This fork should run under the Stasis agent, but " + key
                    + (instrumented == null ? " ran without it (no agent registry on the class path)"
                            : " was not instrumented")
                    + ". Check the -javaagent argument and the agent's stderr; the overhead figures would be meaningless.");
        }
        if (side == ForkSide.PLAIN && instrumented != null) {
            throw new IllegalStateException("This fork should run without the Stasis agent, but the agent's registry is on"
                    + " the class path. Keep stasis-runtime off the JMH class path (run.sh uses benchmarks/target/jmh-lib).");
        }
    }

    /** Whether the agent instrumented the method, or null when there is no agent in this JVM. */
    private static Boolean instrumented(String methodKey) {
        Class<?> registry;
        try {
            registry = Class.forName(REGISTRY, true, ClassLoader.getSystemClassLoader());
        } catch (ClassNotFoundException noAgent) {
            return null;
        }
        try {
            Object global = registry.getMethod("global").invoke(null);
            Method isInstrumented = registry.getMethod("isInstrumented", String.class);
            return (Boolean) isInstrumented.invoke(global, methodKey);
        } catch (ReflectiveOperationException changedApi) {
            throw new IllegalStateException("Cannot ask the Stasis registry " + REGISTRY + " whether " + methodKey
                    + " is instrumented: " + changedApi + ". Update AgentPresence to the registry's current API.", changedApi);
        }
    }
}
