package dev.stasis.runtime.internal.snapshot.files;

import dev.stasis.runtime.ChangedInputs;

/** What reading a snapshot does with the open files it holds. */
public enum OpenFiles {
    /**
     * Touch no file: every handle comes back closed, with its path. For reading a snapshot without
     * resuming it ({@code inspect}, {@code verify}, tests of the codec), which must never cut an output file.
     */
    LEAVE_CLOSED,
    /** Reopen each file at its position and cut output files back to their length; refuse changed inputs. */
    REOPEN,
    /** As {@link #REOPEN}, but an input that changed is reopened as it is now, with a warning. */
    REOPEN_ACCEPTING_CHANGED_INPUTS;

    /** How a resume at start reopens files, given the {@code changedInputs=} option. */
    public static OpenFiles forResume(ChangedInputs changedInputs) {
        return changedInputs == ChangedInputs.ACCEPT ? REOPEN_ACCEPTING_CHANGED_INPUTS : REOPEN;
    }
}
