package dev.stasis.rt;

/**
 * What instrumented code calls. This class is on the bootstrap class path so that code in any class
 * loader resolves it, and it uses JDK types only.
 *
 * <p>The hot path is one call of {@link #isPending()}, which the JIT folds to a constant while no
 * checkpoint runs; everything else is a cold call into the
 * installed {@link Engine}. The protocol, for an instrumented method M:
 * <ul>
 *   <li><b>Entry.</b> {@code if (pending) { Frame f = enter(key); if (f != null) jump to the
 *       restore block of f.point; if (poll()) save point 0 and unwind; }}</li>
 *   <li><b>Loop back-edge</b> (poll point k): {@code if (pending && poll()) save point k and unwind}.
 *       Restoring point k reloads locals and stack and continues right after the poll.</li>
 *   <li><b>After a call</b> to a method that may be instrumented (call point k):
 *       {@code if (pending && unwinding()) drop the dummy result, save point k and unwind}.
 *       Restoring point k reloads locals, the stack below the call, the receiver and the arguments,
 *       and executes the same invoke instruction again: the callee restores itself.</li>
 *   <li><b>Unwind</b> = {@code if (unwound(frame)) push the saved stack back and carry on from the
 *       point (the bottom frame, after the snapshot); else return a dummy value} (0, 0L, 0f, 0d or null). Unwinding is by return, never by exception.</li>
 * </ul>
 */
public final class Stasis {

    private static volatile Engine engine = Engine.NONE;
    /** Added to {@link System#nanoTime()} by {@link #nanoTime()}; changed only by a resume. */
    private static volatile long clockOffset;

    private Stasis() {
    }

    /**
     * The poll of instrumented code: true while any thread may have to take a slow path (a
     * checkpoint is requested, or some thread is unwinding or rewinding). Free in compiled code
     * while false; see {@link PendingSwitch}.
     */
    public static boolean isPending() {
        return PendingSwitch.get();
    }

    /**
     * Raises or lowers the flag for every thread; returns once all of them will see it. Each change
     * deoptimises the compiled instrumented code, so engines change it once per checkpoint, not per
     * frame.
     */
    public static void setPending(boolean pending) {
        PendingSwitch.set(pending);
    }

    /**
     * What application calls of {@link System#nanoTime()} become: the JVM's clock plus an offset that a
     * resume sets so this clock goes on from the value a snapshot recorded. A deadline computed before a
     * checkpoint therefore keeps its meaning after a relaunch, and the time the program was not running
     * does not count (the clock stays monotonic).
     */
    public static long nanoTime() {
        return System.nanoTime() + clockOffset;
    }

    /** Makes {@link #nanoTime()} continue from {@code recorded} (the value a snapshot holds) as of now. */
    public static void continueClockFrom(long recorded) {
        clockOffset = recorded - System.nanoTime();
    }

    /** Installs the runtime's engine; called once by the agent before any class is instrumented. */
    public static void install(Engine installed) {
        engine = installed;
    }

    public static Engine engine() {
        return engine;
    }

    /**
     * Method-entry slow path. Returns the frame to restore when the current thread is rewinding
     * into this method (the frame's {@code method} equals {@code method}), otherwise null.
     */
    public static Frame enter(String method) {
        return engine.enter(method);
    }

    /** Poll slow path (entry or back-edge): true if the current thread must unwind from here now. */
    public static boolean poll() {
        return engine.poll();
    }

    /** After-call slow path: true if the callee unwound, so this frame must save itself and unwind. */
    public static boolean unwinding() {
        return engine.unwinding();
    }

    /**
     * Hands a saved frame to the capture. Returns true when it was the bottom frame of the thread:
     * the snapshot has been taken and this method carries on in place from the saved point (its
     * locals are intact; it pushes its operand stack back), while the frames above it are rewound
     * through {@link #enter(String)} as the method calls into them again.
     * Returns false when the method must return a dummy value to its caller.
     */
    public static boolean unwound(Frame frame) {
        return engine.unwound(frame);
    }

    /**
     * First instruction of every instrumented class's static initialiser. Records the
     * initialisation order; returns true when the original initialiser must be skipped because the
     * class's static fields are being restored from a snapshot.
     */
    public static boolean initializing(Class<?> type) {
        return engine.initializing(type);
    }
}
