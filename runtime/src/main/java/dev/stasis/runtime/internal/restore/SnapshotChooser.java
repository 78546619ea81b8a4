package dev.stasis.runtime.internal.restore;

import dev.stasis.runtime.RestoreException;
import dev.stasis.runtime.internal.snapshot.Manifest;
import dev.stasis.runtime.internal.store.SnapshotFile;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Picks the snapshot a restore mode asks for:
 * <ul>
 *   <li>{@code never}: none, the run starts fresh;</li>
 *   <li>{@code auto} (also when blank): the newest usable snapshot whose run did not finish; none
 *       found starts fresh;</li>
 *   <li>{@code latest}: the newest usable snapshot, even of a finished run;</li>
 *   <li>anything else is a snapshot id, which must exist and pass its checks.</li>
 * </ul>
 *
 * <p>Going down from the newest, {@code auto} and {@code latest} treat a snapshot that fails its
 * checks by why it fails. A damaged one (a checksum, a length, a marker, a cut-off end) can never
 * be resumed: it is renamed aside as {@code .broken} with one line on stderr, and the next older
 * one is tried; when none is left the run starts fresh, having lost nothing that could be
 * recovered. Any other failure (no key or the wrong key, a newer format, a refused read, an I/O
 * error) may be the configuration's fault, not the file's: the file is left alone and the start
 * refused, since resuming an older snapshot or starting fresh would silently lose the work in it.
 * The one exception under {@code auto}: a snapshot failing only its authenticity check whose run,
 * by its own unverified word, finished is passed over, as a verified one of a finished run is;
 * whoever wrote that claim gains nothing by it, since passing over is what {@code auto} does anyway.
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
                return newestUsable(true);
            case "latest":
                return newestUsable(false);
            default:
                return byId(wanted);
        }
    }

    private Optional<Chosen> newestUsable(boolean skipFinishedRuns) throws RestoreException {
        List<SnapshotFile> files = list();
        int setAside = 0;
        for (int i = 0; i < files.size(); i++) {
            SnapshotFile file = files.get(i);
            Manifest manifest;
            try {
                manifest = source.readManifest(file);
            } catch (IOException e) {
                UnusableSnapshot unusable = new UnusableSnapshot(file, e);
                if (unusable.isDamaged()) {
                    setAside(file, unusable);
                    setAside++;
                    continue;
                }
                if (skipFinishedRuns && unusable.isNotAuthentic() && claimsFinishedRun(file)) {
                    continue;
                }
                throw unusable.refusedAsNewest(source.directory(), ids(files.subList(i + 1, files.size())));
            } catch (RuntimeException e) {
                throw new UnusableSnapshot(file, unexpected(e))
                        .refusedAsNewest(source.directory(), ids(files.subList(i + 1, files.size())));
            }
            if (skipFinishedRuns && isFinished(manifest.runId())) {
                continue;
            }
            return Optional.of(new Chosen(file, manifest));
        }
        if (setAside > 0) {
            warnings.println("stasis: no intact snapshot left to resume in " + source.directory() + " (" + setAside
                    + " damaged set aside); the program starts from the beginning");
        }
        return Optional.empty();
    }

    private void setAside(SnapshotFile file, UnusableSnapshot damaged) {
        try {
            Path broken = source.setAside(file);
            warnings.println(damaged.setAsideLine(broken));
        } catch (IOException | RuntimeException e) {
            warnings.println(damaged.notSetAsideLine(e));
        }
    }

    /** Only ever used to pass a snapshot over, never to resume it: a forged claim changes nothing. */
    private boolean claimsFinishedRun(SnapshotFile file) throws RestoreException {
        Manifest claimed;
        try {
            claimed = source.readManifestUnauthenticated(file);
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return isFinished(claimed.runId());
    }

    private Optional<Chosen> byId(String id) throws RestoreException {
        List<SnapshotFile> files = list();
        Optional<SnapshotFile> found = files.stream().filter(candidate -> candidate.id().equals(id)).findFirst();
        if (found.isEmpty()) {
            throw new RestoreException("snapshot " + id + " is not in " + source.directory() + setAsideAs(id)
                    + "; available: " + (files.isEmpty() ? "none" : String.join(", ", ids(files)))
                    + ". Use restore=auto, restore=never or one of those ids.");
        }
        SnapshotFile file = found.get();
        List<String> others = ids(files.stream().filter(other -> other != file).collect(Collectors.toList()));
        try {
            return Optional.of(new Chosen(file, source.readManifest(file)));
        } catch (IOException e) {
            throw new UnusableSnapshot(file, e).refusedAsChosen(source.directory(), others);
        } catch (RuntimeException e) {
            throw new UnusableSnapshot(file, unexpected(e)).refusedAsChosen(source.directory(), others);
        }
    }

    /** A snapshot asked for by id that an earlier start set aside: say so, or the user looks for a typo. */
    private String setAsideAs(String id) {
        try {
            return source.listBroken().stream().filter(broken -> broken.id().equals(id)).findFirst()
                    .map(broken -> " (it was set aside as damaged: " + broken.path() + ")").orElse("");
        } catch (IOException e) {
            return "";
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

    static List<String> ids(List<SnapshotFile> files) {
        return files.stream().map(SnapshotFile::id).collect(Collectors.toList());
    }

    /** A read that throws what it should not is a bug; it still must not resume or set aside anything. */
    private static IOException unexpected(RuntimeException e) {
        return new IOException(e.toString(), e);
    }
}
