package dev.stasis.runtime.internal.snapshot.files;

/**
 * An open descriptor that Stasis could not open again after a relaunch (a deleted file, a pipe, a
 * device, a raw descriptor): the checkpoint is refused with this reason.
 */
public final class NotReopenableException extends Exception {
    NotReopenableException(String reason) {
        super(reason);
    }
}
