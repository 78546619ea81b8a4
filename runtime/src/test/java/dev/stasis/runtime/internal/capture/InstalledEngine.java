package dev.stasis.runtime.internal.capture;

import dev.stasis.rt.Engine;
import dev.stasis.rt.Stasis;
import dev.stasis.runtime.internal.registry.InstrumentedClasses;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh {@link PortableEngine} behind {@link Stasis} for each test, taken away afterwards with the
 * {@code pending} flag cleared, so no test sees another's engine. Register it with
 * {@code @RegisterExtension}; after the test's own {@code @AfterEach} methods it uninstalls.
 */
public final class InstalledEngine implements BeforeEachCallback, AfterEachCallback {
    public final InstrumentedClasses registry = new InstrumentedClasses();
    public final PortableEngine engine = new PortableEngine(registry);
    private final boolean withProtocolProgram;

    private InstalledEngine(boolean withProtocolProgram) {
        this.withProtocolProgram = withProtocolProgram;
    }

    /** Also resets {@link ProtocolProgram} and registers its methods as instrumented. */
    public static InstalledEngine withProtocolProgram() {
        return new InstalledEngine(true);
    }

    public static InstalledEngine alone() {
        return new InstalledEngine(false);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (withProtocolProgram) {
            ProtocolProgram.reset();
            ProtocolProgram.register(registry);
        }
        Stasis.install(engine);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Stasis.install(Engine.NONE);
        Stasis.setPending(false);
    }
}
