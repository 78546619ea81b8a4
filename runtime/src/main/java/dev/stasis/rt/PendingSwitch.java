package dev.stasis.rt;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MutableCallSite;

/**
 * The flag every poll of instrumented code reads, held as the constant target of one
 * {@link MutableCallSite} rather than in a field. The JIT folds a call site's constant target into
 * the compiled code and records a dependency on it, so while no checkpoint runs a poll compiles to
 * nothing at all; changing the target deoptimises every compiled method that folded it, including
 * activations already on a stack (they continue in the interpreter at the next safepoint), so a
 * thread spinning in a compiled loop and a caller that a callee is about to unwind to both see the
 * new value. A volatile field would cost a read and a memory barrier on every method entry, loop
 * back-edge and return from a call: about 30 % on recursive code, and it keeps C2 from unrolling
 * loops (measured in docs/PERFORMANCE.md).
 *
 * <p>The price is paid per checkpoint instead: raising and lowering the flag each deoptimise the
 * compiled instrumented code once, which then recompiles. In the interpreter, reading the flag is
 * one static call into already compiled code.
 */
final class PendingSwitch {
    private static final MethodHandle FALSE = MethodHandles.constant(boolean.class, false);
    private static final MethodHandle TRUE = MethodHandles.constant(boolean.class, true);
    private static final MutableCallSite SITE = new MutableCallSite(FALSE);
    private static final MutableCallSite[] SITES = {SITE};
    /** Static final, so the JIT treats it as a constant and inlines through it to the target. */
    private static final MethodHandle INVOKER = SITE.dynamicInvoker();

    private PendingSwitch() {
    }

    static boolean get() {
        try {
            return (boolean) INVOKER.invokeExact();
        } catch (Throwable impossible) {
            throw new AssertionError("stasis: the pending switch cannot throw", impossible);
        }
    }

    static synchronized void set(boolean pending) {
        MethodHandle target = pending ? TRUE : FALSE;
        if (SITE.getTarget() != target) {
            SITE.setTarget(target);
            // Every thread sees the new target before this returns, not at some later point.
            MutableCallSite.syncAll(SITES);
            if (pending) {
                Wakeups.wakeAll(); // after syncAll: a blocked thread it misses sees the flag raised
            }
        }
    }
}
