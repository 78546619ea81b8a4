package dev.stasis.agent;

/** A {@code -javaagent} option string that cannot be used; the message is what the user reads. */
public final class AgentOptionsException extends Exception {
    public AgentOptionsException(String message) {
        super(message);
    }
}
