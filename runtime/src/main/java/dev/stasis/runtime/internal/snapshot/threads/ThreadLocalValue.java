package dev.stasis.runtime.internal.snapshot.threads;

/**
 * One value a thread holds in a {@code ThreadLocal} (or, when the key is an {@code InheritableThreadLocal},
 * in its inheritable map), saved only when the program can still reach the key from the rest of the snapshot.
 */
public record ThreadLocalValue(Thread thread, ThreadLocal<?> key, Object value) {
}
