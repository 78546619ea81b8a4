package dev.stasis.runtime.internal;

import dev.stasis.runtime.RuntimeConfig;
import dev.stasis.runtime.StasisRuntime;

/** The portable engine behind {@link StasisRuntime}. STUB: being written. */
public final class PortableRuntime {
    private PortableRuntime() {
    }

    public static StasisRuntime create(RuntimeConfig config) {
        throw new UnsupportedOperationException("not yet");
    }
}
