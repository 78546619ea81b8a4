package dev.stasis.agent.instrument;

/**
 * Where the instrumenter reads the class files it needs for type analysis (super classes,
 * interfaces) without loading any class.
 */
@FunctionalInterface
public interface ClassBytesSource {
    /** The class file of {@code internalName}, or null when it cannot be found. */
    byte[] bytesOf(String internalName);

    /** Reads {@code name.class} resources through {@code loader} (system loader when null). STUB. */
    static ClassBytesSource fromLoader(ClassLoader loader) {
        throw new UnsupportedOperationException("not yet");
    }
}
