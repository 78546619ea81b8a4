package dev.stasis.agent;

/**
 * The agent's only output: one {@code stasis: ...} line on stderr per event the user must know
 * about; stack traces only with {@code -Dstasis.debug=true}. The program's stdout stays its own.
 */
public final class AgentLog {
    private AgentLog() {
    }

    public static void warn(String message) {
        System.err.println("stasis: " + message);
    }

    public static boolean debugEnabled() {
        return Boolean.getBoolean("stasis.debug");
    }

    public static void debug(Throwable t) {
        if (debugEnabled()) {
            t.printStackTrace();
        }
    }
}
