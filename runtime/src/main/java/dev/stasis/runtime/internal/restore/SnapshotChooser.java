package dev.stasis.runtime.internal.restore;

import dev.stasis.runtime.RestoreException;
import dev.stasis.runtime.internal.snapshot.Manifest;
import dev.stasis.runtime.internal.store.SnapshotFile;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Picks the snapshot a restore mode asks for:
 * <ul>
 *   <li>{@code never}: none, the run starts fresh;</li>
 *   <li>{@code auto} (also when blank): the newest snapshot whose manifest reads and whose run did not
 *       finish; unreadable ones are skipped with a warning; none found starts fresh;</li>
 *   <li>{@code latest}: the newest snapshot whose manifest reads, even of a finished run;</li>
 *   <li>anything else is a snapshot id, which must exist and read.</li>
 * </ul>
 */
public final class SnapshotChooser {
    /** A snapshot and its manifest, read once. */
    public record Chosen(SnapshotFile file, Manifest manifest) {
    }

    private final SnapshotSource source;
    private final PrintStream warnings;

    public SnapshotChooser(SnapshotSource source, PrintStream warnings) {
        this.source = source;
        this.warnings = warnings;
    }

    public Optional<Chosen> choose(String mode) throws RestoreException {
        String wanted = mode == null || mode.isBlank() ? "auto" : mode.trim();
        switch (wanted) {
            case "never":
                return Optional.empty();
            case "auto":
                return newestReadable(true);
            case "latest":
                return newestReadable(false);
            default:
                return byId(wanted);
        }
    }

    private Optional<Chosen> newestReadable(boolean skipFinishedRuns) throws RestoreException {
        for (SnapshotFile file : list()) {
            Manifest manifest;
            try {
                manifest = source.readManifest(file);
            } catch (IOException | RuntimeException e) {
                warnings.println("stasis: skipping unreadable snapshot " + file.path() + ": " + e.getMessage());
                continue;
            }
            if (skipFinishedRuns && isFinished(manifest.runId())) {
                continue;
            }
            return Optional.of(new Chosen(file, manifest));
        }
        return Optional.empty();
    }

    private Optional<Chosen> byId(String id) throws RestoreException {
        List<SnapshotFile> files = list();
        SnapshotFile file = files.stream().filter(candidate -> candidate.id().equals(id)).findFirst()
                .orElseThrow(() -> new RestoreException("snapshot " + id + " is not in " + source.directory()
                        + "; available: " + (files.isEmpty() ? "none"
                        : files.stream().map(SnapshotFile::id).collect(Collectors.joining(", ")))
                        + ". Use restore=auto, restore=never or one of those ids."));
        try {
            return Optional.of(new Chosen(file, source.readManifest(file)));
        } catch (IOException | RuntimeException e) {
            throw new RestoreException("snapshot " + id + " cannot be read (" + file.path() + "): " + e.getMessage()
                    + ". Choose another snapshot, or start fresh with restore=never.", e);
        }
    }

    private List<SnapshotFile> list() throws RestoreException {
        try {
            return source.list();
        } catch (IOException e) {
            throw new RestoreException("cannot list the snapshots in " + source.directory() + ": " + e.getMessage(), e);
        }
    }

    private boolean isFinished(String runId) throws RestoreException {
        try {
            return source.isFinished(runId);
        } catch (IOException e) {
            throw new RestoreException("cannot tell whether run " + runId + " finished (" + source.directory()
                    + "): " + e.getMessage(), e);
        }
    }
}
