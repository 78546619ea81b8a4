package dev.stasis.agent.instrument;

/** Bytes in, bytes out: rewrites one class for capture and rewind. STUB: being written. */
public final class Instrumenter {
    public Instrumenter(ClassBytesSource classBytes) {
    }

    /** Never throws for a bad method: such methods are left alone and listed as skipped. */
    public InstrumentationResult instrument(byte[] classBytes) {
        throw new UnsupportedOperationException("not yet");
    }
}
