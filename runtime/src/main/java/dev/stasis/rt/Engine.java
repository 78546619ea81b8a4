package dev.stasis.rt;

/**
 * The slow paths behind {@link Stasis}, implemented by the runtime loaded with the agent. Only JDK
 * types cross this boundary, because this interface lives on the bootstrap class path while the
 * implementation lives in the agent's own class loader.
 */
public interface Engine {
    /** See {@link Stasis#enter(String)}. */
    Frame enter(String method);

    /** See {@link Stasis#poll()}. */
    boolean poll();

    /** See {@link Stasis#unwinding()}. */
    boolean unwinding();

    /** See {@link Stasis#unwound(Frame)}. */
    boolean unwound(Frame frame);

    /** See {@link Stasis#initializing(Class)}. */
    boolean initializing(Class<?> type);

    /** Before any engine is installed: nothing is ever captured or restored. */
    Engine NONE = new Engine() {
        @Override public Frame enter(String method) { return null; }
        @Override public boolean poll() { return false; }
        @Override public boolean unwinding() { return false; }
        @Override public boolean unwound(Frame frame) {
            throw new IllegalStateException("stasis: a frame unwound with no engine installed: " + frame);
        }
        @Override public boolean initializing(Class<?> type) { return false; }
    };
}
