package dev.stasis.rt.crac;

/**
 * What a call of {@code org.crac.Core.checkpointRestore()} in instrumented code becomes. The
 * instrumenter replaces the call with
 * <pre>
 *   CheckpointRestoreCall.request();
 *   do { } while (!CheckpointRestoreCall.awaitDone());   // the back edge gets a poll
 *   CheckpointRestoreCall.finish(CallingClass.class);
 * </pre>
 * The checkpoint runs on a Stasis thread and captures the calling thread at the poll of that loop.
 * After a relaunch the thread resumes in the loop, where {@link #awaitDone()} finds no request of
 * this process and lets it through, so the call returns as {@code jdk.crac}'s does after a restore.
 */
public final class CheckpointRestoreCall {
    /** The runtime's side, installed by the agent. */
    public interface Handler {
        /** Starts a checkpoint for the current thread (which then waits in the loop). */
        void request();

        /** Waits a little; true when the current thread's checkpoint is over or it has none in this process. */
        boolean awaitDone();

        /** The outcome for the current thread: returns, or throws what {@code jdk.crac} would. */
        void finish() throws CheckpointException, RestoreException;
    }

    /**
     * A whole-process engine (CRIU) freezes every thread where it stands, so the caller needs no capture at a
     * poll: {@code checkpointRestore()} simply runs the checkpoint on the calling thread.
     */
    public interface InPlace {
        /** Returns after the checkpoint in this process and again in a process restored from it. */
        void checkpointRestore() throws CheckpointException, RestoreException;
    }

    private static volatile InPlace inPlace;

    private static final Handler NONE = new Handler() {
        @Override
        public void request() {
        }

        @Override
        public boolean awaitDone() {
            return true;
        }

        @Override
        public void finish() throws CheckpointException {
            throw new CheckpointException("stasis: no checkpoint: the Stasis runtime is not running");
        }
    };

    private static volatile Handler handler = NONE;

    private CheckpointRestoreCall() {
    }

    public static void install(Handler installed) {
        handler = installed;
    }

    /** Installed by a whole-process engine; then a direct call of {@code checkpointRestore()} checkpoints. */
    public static void installInPlace(InPlace engine) {
        inPlace = engine;
    }

    /** The whole-process engine's checkpoint, or null under the portable engine. */
    static InPlace inPlace() {
        return inPlace;
    }

    public static void request() {
        handler.request();
    }

    public static boolean awaitDone() {
        return handler.awaitDone();
    }

    /**
     * Returns, or throws {@code org.crac.CheckpointException} / {@code org.crac.RestoreException} as the
     * caller's loader sees them, with the message and the suppressed causes of the failure.
     *
     * @param caller the class whose code called {@code checkpointRestore()}; null in class files too old for
     *               class constants (then the system loader's {@code org.crac})
     */
    public static void finish(Class<?> caller) {
        try {
            handler.finish();
        } catch (CheckpointException | RestoreException e) {
            throw CheckpointRestoreCall.<RuntimeException>sneaky(asOrgCrac(e, caller));
        }
    }

    private static Throwable asOrgCrac(Exception failure, Class<?> caller) {
        String name = "org.crac." + failure.getClass().getSimpleName();
        try {
            ClassLoader loader = caller == null ? ClassLoader.getSystemClassLoader() : caller.getClassLoader();
            Class<?> type = Class.forName(name, false, loader);
            Throwable translated = (Throwable) type.getConstructor(String.class).newInstance(failure.getMessage());
            for (Throwable cause : failure.getSuppressed()) {
                translated.addSuppressed(cause);
            }
            return translated;
        } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
            failure.addSuppressed(e);
            return failure; // still says what failed, though a catch of the org.crac type misses it
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T sneaky(Throwable t) throws T {
        throw (T) t;
    }
}
