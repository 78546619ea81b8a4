package dev.stasis.agent;

import dev.stasis.runtime.RuntimeConfig;
import dev.stasis.runtime.StasisRuntime;
import dev.stasis.runtime.internal.crac.CracRuntime;
import dev.stasis.runtime.internal.crac.CracUnavailableException;
import dev.stasis.runtime.internal.criu.CriuRuntime;
import dev.stasis.runtime.internal.criu.CriuUnavailableException;

import java.io.UncheckedIOException;

/**
 * {@code engine=criu} and {@code engine=crac}: each checks at start that it can work here, and an engine that
 * cannot is refused like a bad option. The program must not run for hours believing it is protected when its
 * first checkpoint is bound to fail.
 */
final class WholeProcessEngines {
    private WholeProcessEngines() {
    }

    static StasisRuntime open(AgentOptions options, RuntimeConfig config) throws AgentOptionsException {
        switch (options.engine()) {
            case CRIU:
                try {
                    return CriuRuntime.create(config, options.criu());
                } catch (CriuUnavailableException e) {
                    throw new AgentOptionsException("engine=criu cannot work here: " + e.getMessage());
                } catch (UncheckedIOException e) {
                    throw new AgentOptionsException(e.getMessage());
                }
            case CRAC:
                try {
                    return CracRuntime.create(config);
                } catch (CracUnavailableException e) {
                    throw new AgentOptionsException(e.getMessage());
                }
            default:
                throw new IllegalArgumentException("not a whole-process engine: " + options.engine());
        }
    }
}
