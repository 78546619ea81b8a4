package dev.stasis.runtime.internal.snapshot;

/** Reads and writes the static fields of a class. STUB: signatures agreed, bodies being written. */
public final class StaticFields {
    private StaticFields() {
    }

    /** The class's static fields to snapshot (enum constants and {@code $VALUES} excluded). */
    public static ClassStatics capture(Class<?> type) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Writes the recorded values back, {@code static final} fields included. */
    public static void restore(Class<?> type, ClassStatics statics) {
        throw new UnsupportedOperationException("not yet");
    }
}
