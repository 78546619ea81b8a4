package dev.stasis.agent.instrument;

import java.io.IOException;
import java.io.InputStream;

/**
 * Where the instrumenter reads the class files it needs for type analysis (super classes,
 * interfaces) without loading any class.
 */
@FunctionalInterface
public interface ClassBytesSource {
    /** The class file of {@code internalName}, or null when it cannot be found. */
    byte[] bytesOf(String internalName);

    /**
     * Reads {@code name.class} resources through {@code loader} (system loader when null). Reading a
     * resource never loads or initialises the class, which would make it escape instrumentation.
     */
    static ClassBytesSource fromLoader(ClassLoader loader) {
        ClassLoader effective = loader != null ? loader : ClassLoader.getSystemClassLoader();
        return internalName -> {
            try (InputStream in = effective.getResourceAsStream(internalName + ".class")) {
                return in == null ? null : in.readAllBytes();
            } catch (IOException | RuntimeException e) {
                return null;
            }
        };
    }
}
