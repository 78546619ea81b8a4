package bench.stasis.snapshot;

import java.io.IOException;

/** The agent's own figure for its last checkpoint, for harnesses outside this package. */
public final class RemoteCheckpointerAccess {
    private RemoteCheckpointerAccess() {
    }

    public static long lastPauseMillis(long pid) throws IOException {
        return RemoteCheckpointer.lastCheckpoint(pid).pauseMillis();
    }
}
