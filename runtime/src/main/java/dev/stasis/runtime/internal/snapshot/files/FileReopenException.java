package dev.stasis.runtime.internal.snapshot.files;

import java.io.IOException;

/**
 * A file the snapshot had open cannot be reopened as it was (missing, shorter than at the
 * checkpoint, or an input that changed): the resume stops before the program runs, and no file
 * has been cut back yet.
 */
public final class FileReopenException extends IOException {
    private final String remedy;

    FileReopenException(String problem, String remedy) {
        super(problem);
        this.remedy = remedy;
    }

    /** The file exists as checked, yet opening it failed (permissions, a full descriptor table). */
    public static FileReopenException cannotOpen(String path, IOException cause) {
        FileReopenException e = new FileReopenException("the file " + path + " cannot be opened again: " + cause,
                "Fix the cause and start again.");
        e.initCause(cause);
        return e;
    }

    /** What the user can do about it. */
    public String remedy() {
        return remedy;
    }
}
