package dev.stasis.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** What the agent's snapshot directory holds, by the file names docs/FORMAT.md gives ("Store layout"). */
final class SnapshotDirectory {

    private static final Pattern COMPLETE = Pattern.compile("snapshot-(\\d+)\\.stasis");
    private static final Pattern BROKEN = Pattern.compile("snapshot-\\d+\\.stasis\\.broken");
    private static final Pattern TEMP = Pattern.compile("\\..+\\.tmp");

    private final Path directory;

    SnapshotDirectory(Path directory) {
        this.directory = directory;
    }

    /** The id of the newest committed snapshot (the highest), if there is one. */
    Optional<String> newestSnapshotId() {
        return names().stream().map(COMPLETE::matcher).filter(Matcher::matches).map(m -> m.group(1))
                .max(Comparator.comparingLong(Long::parseLong));
    }

    /** Snapshots renamed aside because they failed their checks. */
    List<String> broken() {
        return names().stream().filter(name -> BROKEN.matcher(name).matches()).toList();
    }

    /** Temporary files a commit in progress (or a killed one) left. */
    List<String> temporary() {
        return names().stream().filter(name -> TEMP.matcher(name).matches()).toList();
    }

    private List<String> names() {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
