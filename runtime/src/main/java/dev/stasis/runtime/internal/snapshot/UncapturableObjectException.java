package dev.stasis.runtime.internal.snapshot;

import java.io.IOException;

/**
 * The application state holds an object that cannot be saved (a thread, a class loader, an open
 * file or socket, a lambda that was not made serializable, ...). The message names the type and
 * the path to it from a root, e.g. {@code cannot snapshot java.lang.Thread at static a.B.worker}.
 */
public final class UncapturableObjectException extends IOException {
    public UncapturableObjectException(String message, Throwable cause) {
        super(message, cause);
    }
}
