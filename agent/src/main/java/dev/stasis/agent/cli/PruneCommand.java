package dev.stasis.agent.cli;

import dev.stasis.runtime.internal.store.SnapshotFile;
import dev.stasis.runtime.internal.store.SnapshotStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * {@code prune <dir> --keep N}: what the agent's {@code keep=} does after each checkpoint, on
 * demand. The store decides what goes, so the two can never disagree about which snapshots are old.
 */
@Command(name = "prune", mixinStandardHelpOptions = true,
        description = {"Delete all but the newest N snapshots of a snapshot directory (the agent's dir= option), "
                + "as the agent's keep=N does after each checkpoint. Snapshots set aside as .broken are kept unless "
                + "--broken is given; finished markers and temp files (.*.tmp) are never deleted.",
            "Prints one line per deleted file and a summary. Exit code 0; 1 when the directory cannot be pruned; "
                + "2 for a usage error."})
final class PruneCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<dir>", description = "snapshot directory")
    Path directory;

    @Option(names = "--keep", paramLabel = "<n>", required = true, converter = KeepConverter.class,
            description = "how many of the newest snapshots to keep (1 or more)")
    int keep;

    @Option(names = "--broken", description = "also delete the snapshots set aside as .broken (kept by default: they show why a resume refused them)")
    boolean broken;

    @Option(names = "--dry-run", description = "print what would be deleted and delete nothing")
    boolean dryRun;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (!Files.isDirectory(directory)) {
            return failure((Files.exists(directory) ? "not a directory" : "no such directory")
                    + "; give the directory of the agent's dir= option (default .stasis in the program's working directory)");
        }
        List<SnapshotFile> deleted = new ArrayList<>();
        try {
            SnapshotStore store = SnapshotStore.openExisting(directory);
            List<SnapshotFile> all = store.list();
            List<SnapshotFile> old = store.prunable(keep);
            List<SnapshotFile> setAside = store.listBroken();
            List<SnapshotFile> doomed = new ArrayList<>(old);
            if (broken) {
                doomed.addAll(setAside);
            }
            if (dryRun) {
                doomed.forEach(file -> out.println("would delete " + describe(file)));
                deleted.addAll(doomed);
            } else {
                if (!doomed.isEmpty() && !Files.isWritable(directory)) {
                    return failure("the directory is not writable, nothing was deleted; run prune as the user the program runs as");
                }
                Consumer<SnapshotFile> report = file -> {
                    deleted.add(file);
                    out.println("deleted " + describe(file));
                };
                store.prune(keep, report);
                if (broken) {
                    store.deleteBroken(report);
                }
            }
            List<SnapshotFile> kept = all.stream().filter(file -> !old.contains(file)).toList();
            out.println(summary(kept, deleted, broken ? List.of() : setAside));
            return 0;
        } catch (IOException | RuntimeException e) {
            out.flush();
            return failure(reason(e) + (deleted.isEmpty() ? "; nothing was deleted"
                    : "; " + deleted.size() + " file(s) were deleted before that, as listed above"));
        }
    }

    private String summary(List<SnapshotFile> kept, List<SnapshotFile> deleted, List<SnapshotFile> brokenKept) {
        long bytes = deleted.stream().mapToLong(SnapshotFile::bytes).sum();
        String done = deleted.isEmpty() ? (dryRun ? "dry run: nothing would be deleted" : "nothing to delete")
                : (dryRun ? "dry run: would delete " : "deleted ") + deleted.size() + (deleted.size() == 1 ? " file" : " files")
                        + " (" + SnapshotTable.size(bytes) + ")";
        String summary = done + " in " + directory + "; " + (dryRun ? "would keep " : "kept ") + kept.size()
                + (kept.size() == 1 ? " snapshot" : " snapshots")
                + (kept.isEmpty() ? "" : " (" + kept.stream().map(SnapshotFile::id).collect(Collectors.joining(", ")) + ")");
        if (!brokenKept.isEmpty()) {
            summary += " and " + brokenKept.size() + " set aside as .broken (--broken deletes them)";
        }
        return summary;
    }

    private static String describe(SnapshotFile file) {
        return file.path() + " (" + SnapshotTable.size(file.bytes()) + ")";
    }

    /** The JDK's message for a refused access is the bare path, which does not say what went wrong. */
    private static String reason(Exception e) {
        if (e instanceof AccessDeniedException denied) {
            return "permission denied on " + denied.getFile() + "; run prune as the user the program runs as";
        }
        return e.getMessage();
    }

    private int failure(String why) {
        spec.commandLine().getErr().println("stasis: cannot prune " + directory + ": " + why);
        return 1;
    }

    /** A usage error, not a failure: a keep below 1 would delete the snapshot a resume needs. */
    static final class KeepConverter implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int keep;
            try {
                keep = Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + value
                        + "' is not a number; give how many of the newest snapshots to keep, 1 or more");
            }
            if (keep < 1) {
                throw new CommandLine.TypeConversionException("--keep must be 1 or more (prune never deletes the newest snapshot), was "
                        + keep);
            }
            return keep;
        }
    }
}
