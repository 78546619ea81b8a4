package dev.stasis.agent.transform;

import dev.stasis.agent.instrument.ClassBytesSource;
import dev.stasis.agent.instrument.InstrumentationResult;
import dev.stasis.agent.instrument.Instrumenter;

/** One class file in, its instrumented form out; a seam so the transformer is testable alone. */
@FunctionalInterface
public interface ClassRewriter {

    InstrumentationResult rewrite(ClassLoader loader, byte[] classBytes);

    /** The real instrumenter, reading the type hierarchy through the defining loader. */
    static ClassRewriter instrumenter() {
        return (loader, classBytes) -> new Instrumenter(ClassBytesSource.fromLoader(loader)).instrument(classBytes);
    }
}
