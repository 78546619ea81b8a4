package dev.stasis.runtime.internal.snapshot;

import java.io.IOException;

/** A key file ({@code key=PATH}) that must not be used; the message names the file and the fix. */
public final class SnapshotKeyException extends IOException {
    SnapshotKeyException(String message) {
        super(message);
    }

    SnapshotKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
