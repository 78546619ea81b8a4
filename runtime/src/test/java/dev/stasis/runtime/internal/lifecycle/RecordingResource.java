package dev.stasis.runtime.internal.lifecycle;

import dev.stasis.rt.crac.Context;
import dev.stasis.rt.crac.Resource;
import java.util.List;

/** Writes {@code <id>-before} and {@code <id>-after} into a shared journal; may throw in either. */
class RecordingResource implements Resource {
    private final List<String> journal;
    private final String id;
    private final boolean throwsBefore;
    private final boolean throwsAfter;

    RecordingResource(List<String> journal, String id, boolean throwsBefore, boolean throwsAfter) {
        this.journal = journal;
        this.id = id;
        this.throwsBefore = throwsBefore;
        this.throwsAfter = throwsAfter;
    }

    static RecordingResource regular(List<String> journal, String id) {
        return new RecordingResource(journal, id, false, false);
    }

    /** Throws in both calls, as ContextOrderTest's ThrowingResource. */
    static RecordingResource throwing(List<String> journal, String id) {
        return new RecordingResource(journal, id, true, true);
    }

    static RecordingResource throwingAfterRestore(List<String> journal, String id) {
        return new RecordingResource(journal, id, false, true);
    }

    @Override
    public void beforeCheckpoint(Context context) {
        journal.add(id + "-before");
        if (throwsBefore) {
            throw new IllegalStateException(id + "-before");
        }
    }

    @Override
    public void afterRestore(Context context) {
        journal.add(id + "-after");
        if (throwsAfter) {
            throw new IllegalStateException(id + "-after");
        }
    }
}
