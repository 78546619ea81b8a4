package dev.stasis.rt.crac;

/** What {@code org.crac.Core} calls when the agent selected this package. */
public final class Core {
    private static final Context GLOBAL = new Context();

    private Core() {
    }

    public static Context getGlobalContext() {
        return GLOBAL;
    }

    /**
     * Under a whole-process engine (CRIU) the call checkpoints where it stands. Under the portable engine
     * it is reached only from code Stasis did not instrument: the agent rewrites every call of
     * {@code org.crac.Core.checkpointRestore()} in instrumented code (see {@link CheckpointRestoreCall}),
     * and a checkpoint needs the calling thread stopped at a poll of instrumented code, which a
     * thread waiting here never reaches.
     */
    public static void checkpointRestore() throws CheckpointException, RestoreException {
        CheckpointRestoreCall.InPlace wholeProcess = CheckpointRestoreCall.inPlace();
        if (wholeProcess != null) {
            wholeProcess.checkpointRestore();
            return;
        }
        CheckpointException refused = new CheckpointException("stasis: no checkpoint");
        refused.addSuppressed(new UnsupportedOperationException("stasis: org.crac.Core.checkpointRestore() was called"
                + " from code that Stasis does not instrument (a library left out by include=/exclude=, reflection,"
                + " a JDK class); call it from the application's own code, or checkpoint through JMX or the CLI"));
        throw refused;
    }
}
