package dev.stasis.agent;

import dev.stasis.agent.jmx.Checkpointer;
import dev.stasis.agent.transform.ClassFilter;
import dev.stasis.agent.transform.ClassRewriter;
import dev.stasis.agent.transform.StasisTransformer;
import dev.stasis.agent.trigger.FinishOnExit;
import dev.stasis.agent.trigger.IntervalTrigger;
import dev.stasis.agent.trigger.TerminationSignals;
import dev.stasis.runtime.CheckpointException;
import dev.stasis.runtime.RestoreException;
import dev.stasis.runtime.RuntimeConfig;
import dev.stasis.runtime.StasisRuntime;
import dev.stasis.runtime.internal.registry.InstrumentedClasses;
import dev.stasis.runtime.internal.snapshot.SnapshotKeyException;

import java.io.UncheckedIOException;
import java.lang.instrument.Instrumentation;
import java.lang.management.ManagementFactory;

/**
 * Everything after the module opening and the bootstrap injection, in the order that matters: the transformer is in
 * place before a restore initialises classes (they must load instrumented), and the triggers start
 * only once the program's state is the one it will continue from.
 */
final class AgentStartup {
    static final String ORG_CRAC_COMPAT = "org.crac.Core.Compat";

    private AgentStartup() {
    }

    /**
     * @throws RestoreException when the chosen snapshot must not be resumed; the caller stops the JVM
     * @throws AgentOptionsException when {@code dir=} or {@code key=} cannot be used; the caller stops the JVM
     */
    static void start(AgentOptions options, Instrumentation inst) throws RestoreException, AgentOptionsException {
        StasisRuntime runtime;
        if (options.engine() == AgentOptions.Engine.PORTABLE) {
            runtime = openRuntime(options);
            selectOrgCracImplementation();
            inst.addTransformer(new StasisTransformer(new ClassFilter(options.include(), options.exclude()),
                    ClassRewriter.instrumenter(), InstrumentedClasses.global()), true);
        } else {
            // The whole-process engines save the process as it is: nothing to instrument, no cost while it runs.
            runtime = WholeProcessEngines.open(options, runtimeConfig(options));
            selectOrgCracImplementation();
        }
        restore(runtime);
        try {
            Checkpointer.register(runtime, ManagementFactory.getPlatformMBeanServer());
        } catch (Throwable t) {
            AgentLog.warn("no JMX checkpoint trigger: " + t);
        }
        startTriggers(runtime, options);
    }

    /**
     * {@code org.crac.Core} looks for its implementation first in the package this property names; on a
     * stock JDK it finds none otherwise and its resources are never called. Set once the runtime is open
     * (an agent that gives up leaves {@code org.crac} as it was) and before a restore, which registers the
     * saved resources through {@code org.crac} again. A value the user set is kept.
     */
    private static void selectOrgCracImplementation() {
        if (System.getProperty(ORG_CRAC_COMPAT) == null) {
            System.setProperty(ORG_CRAC_COMPAT, BootstrapInjector.CRAC_PACKAGE.replace('/', '.').substring(0,
                    BootstrapInjector.CRAC_PACKAGE.length() - 1));
        }
    }

    /**
     * A snapshot directory that cannot be used is a bad {@code dir=} value, refused like any other:
     * running on without checkpoints would, after the next crash, silently start the job over. A key
     * file that is missing, empty or readable by others is a bad {@code key=}: running unsigned, or
     * with a key others can read, is not the protection asked for. The runtime checks the key file
     * before it touches the directory.
     */
    private static StasisRuntime openRuntime(AgentOptions options) throws AgentOptionsException {
        try {
            return StasisRuntime.portable(runtimeConfig(options));
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof SnapshotKeyException key) {
                throw new AgentOptionsException("bad value for option 'key' in -javaagent options: " + key.getMessage());
            }
            throw new AgentOptionsException(e.getMessage());
        }
    }

    private static RuntimeConfig runtimeConfig(AgentOptions options) {
        LaunchCommand launch = LaunchCommand.ofThisJvm();
        return new RuntimeConfig(options.directory(), options.restore(), options.timeout(), options.keep(),
                launch.mainClass(), launch.arguments(), options.compression(), options.key(), options.rebind(),
                options.changedInputs());
    }

    /** Any failure here may have left classes half-restored: running on would run a wrong state. */
    private static void restore(StasisRuntime runtime) throws RestoreException {
        try {
            runtime.restoreAtStartup();
        } catch (RestoreException e) {
            throw e;
        } catch (Throwable t) {
            AgentLog.debug(t);
            throw new RestoreException("resuming failed: " + t
                    + "; start with -javaagent:stasis-agent.jar=restore=never to run from the beginning", t);
        }
    }

    /** Runs on the thread that will run {@code main} (premain's thread). */
    private static void startTriggers(StasisRuntime runtime, AgentOptions options) {
        try {
            TerminationSignals signals = new TerminationSignals();
            signals.install(options.onTerm() == AgentOptions.TermAction.CHECKPOINT ? () -> checkpointOnTerm(runtime) : () -> true);
            FinishOnExit finish = FinishOnExit.install(runtime, signals);
            if (options.interval() != null) {
                // The program runs until the JVM exits: its main method may return while its other threads work on.
                IntervalTrigger.start(runtime, options.interval(), () -> !finish.exiting());
            }
        } catch (Throwable t) {
            AgentLog.warn("checkpoint triggers not started: " + t);
        }
    }

    /** Whether the JVM should then end: not in a process CRIU restored from the image this checkpoint took. */
    private static boolean checkpointOnTerm(StasisRuntime runtime) {
        try {
            return !runtime.checkpoint().restored();
        } catch (CheckpointException e) {
            AgentLog.warn("checkpoint failed: " + e.getMessage() + " (the checkpoint on SIGTERM)");
            return true;
        }
    }
}
