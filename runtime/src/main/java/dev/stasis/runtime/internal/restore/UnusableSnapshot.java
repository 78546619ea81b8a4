package dev.stasis.runtime.internal.restore;

import dev.stasis.runtime.RestoreException;
import dev.stasis.runtime.internal.snapshot.SnapshotFormatException;
import dev.stasis.runtime.internal.snapshot.SnapshotFormatException.Kind;
import dev.stasis.runtime.internal.snapshot.files.FileReopenException;
import dev.stasis.runtime.internal.store.SnapshotFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A snapshot that cannot be resumed, and what is said about it: which one, what is wrong with it
 * and where (file, byte offset), and what the user can do.
 */
final class UnusableSnapshot {
    private final SnapshotFile file;
    private final IOException cause;

    UnusableSnapshot(SnapshotFile file, IOException cause) {
        this.file = file;
        this.cause = cause;
    }

    /**
     * Damage, and only damage, is set aside. Every other failure may lie in the configuration (a wrong
     * key, an older agent) and not in the file, which then must stay where it is, untouched.
     */
    boolean isDamaged() {
        return kind() == Kind.DAMAGED;
    }

    boolean isNotAuthentic() {
        return kind() == Kind.NOT_AUTHENTIC;
    }

    /** The stderr line for a damaged snapshot renamed to {@code broken}. */
    String setAsideLine(Path broken) {
        return "stasis: " + headline() + "; set aside as " + broken + ", trying the next older one";
    }

    /** The stderr line for a damaged snapshot that could not be renamed: it cannot be resumed either way. */
    String notSetAsideLine(Exception renameFailure) {
        return "stasis: " + headline() + "; it could not be set aside (" + renameFailure.getMessage()
                + "), trying the next older one";
    }

    /**
     * The newest snapshot {@code restore=auto|latest} would resume fails for a reason that is not damage:
     * resuming an older one or starting fresh would silently lose the work since, so the user decides.
     */
    RestoreException refusedAsNewest(Path directory, List<String> olderIds) {
        return refusal(headline() + ". It was left as it is, and Stasis neither resumed an older snapshot nor started"
                + " fresh instead: either would silently lose the work since this one. " + remedy(directory)
                + alternatives("an older snapshot", olderIds, false));
    }

    /** The snapshot {@code restore=<id>} names cannot be used, whatever the reason: the user chose it, so it stays. */
    RestoreException refusedAsChosen(Path directory, List<String> otherIds) {
        return refusal(headline() + ". It was left as it is. " + remedy(directory)
                + alternatives("another snapshot", otherIds, true));
    }

    /**
     * The chosen snapshot passed its checks but its objects could not be rebuilt. Its classes are
     * initialised by now, so this JVM cannot try another snapshot; the user picks one for the next start.
     */
    RestoreException refusedWhileRestoring(Path directory, List<String> otherIds) {
        return refusal(headline() + ". It was left as it is. " + remedy(directory)
                + alternatives("another snapshot", otherIds, false));
    }

    private RestoreException refusal(String message) {
        return new RestoreException(message, cause);
    }

    /** Which snapshot, and what is wrong with it where. */
    private String headline() {
        if (cause instanceof FileReopenException files) {
            return "snapshot " + file.id() + " cannot be resumed: " + files.getMessage();
        }
        if (cause instanceof SnapshotFormatException format) {
            return "snapshot " + file.id() + " " + verdict(format.kind()) + " (" + file.path() + " at byte offset "
                    + format.offset() + ": " + format.problem() + ")";
        }
        return "snapshot " + file.id() + " cannot be read (" + file.path() + ": " + cause.getMessage() + ")";
    }

    private static String verdict(Kind kind) {
        return switch (kind) {
            case DAMAGED -> "is damaged";
            case NOT_AUTHENTIC -> "failed its authenticity check";
            case UNSUPPORTED -> "is in a format this agent does not read";
            case REFUSED -> "was refused";
            case OTHER_JDK -> "needs another JDK";
        };
    }

    private String remedy(Path directory) {
        if (cause instanceof FileReopenException files) {
            return files.remedy();
        }
        Kind kind = kind();
        if (kind == null) {
            return "Fix the cause (the file's permissions, the disk) and start again.";
        }
        return switch (kind) {
            case DAMAGED -> "A damaged snapshot cannot be resumed.";
            case NOT_AUTHENTIC -> "If it was written with another key, start with that key (key=PATH); if you do not"
                    + " know who wrote it, move it out of " + directory + ".";
            case UNSUPPORTED -> "Resume it with the agent that wrote it.";
            case REFUSED -> "Every resume enforces these rules; if you do not know who wrote it, move it out of "
                    + directory + ".";
            case OTHER_JDK -> "Resume it on a JDK that has what it needs, such as the one that took it.";
        };
    }

    private static String alternatives(String which, List<String> ids, boolean offerAuto) {
        StringBuilder text = new StringBuilder(" Or start with ");
        if (!ids.isEmpty()) {
            text.append("restore=<id> to resume ").append(which).append(" (").append(String.join(", ", ids)).append("), ");
        }
        if (offerAuto) {
            text.append("restore=auto to resume the newest usable one (damaged ones are set aside), ");
        }
        return text.append(ids.isEmpty() && !offerAuto ? "" : "or ").append("restore=never to start from the beginning.")
                .toString();
    }

    private Kind kind() {
        return cause instanceof SnapshotFormatException format ? format.kind() : null;
    }
}
