package bench.stasis.design;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MutableCallSite;

/**
 * The poll the instrumenter emits, rebuilt without the agent for the design benchmarks: the
 * constant target of a mutable call site read through a static final invoker, as
 * {@code dev.stasis.rt.PendingSwitch} does. Never raised here, as while no checkpoint runs.
 */
final class SwitchPoll {
    private static final MutableCallSite SWITCH = new MutableCallSite(MethodHandles.constant(boolean.class, false));
    private static final MethodHandle INVOKER = SWITCH.dynamicInvoker();

    private SwitchPoll() {
    }

    static boolean pending() {
        try {
            return (boolean) INVOKER.invokeExact();
        } catch (Throwable impossible) {
            throw new AssertionError(impossible);
        }
    }
}
