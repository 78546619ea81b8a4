package dev.stasis.agent.instrument.targets;

import org.crac.CheckpointException;
import org.crac.Core;
import org.crac.RestoreException;

/** An application's own call of the CRaC API, with a local that must survive it. */
public final class CheckpointRestoreTarget {
    private CheckpointRestoreTarget() {
    }

    public static String run() {
        int before = 41;
        try {
            Core.checkpointRestore();
            return "returned " + (before + 1);
        } catch (CheckpointException e) {
            return "refused: " + e.getSuppressed()[0].getMessage() + " after " + before;
        } catch (RestoreException e) {
            return "restore failed after " + before;
        }
    }
}
