package dev.stasis.agent.cli;

import dev.stasis.runtime.internal.snapshot.Manifest;
import dev.stasis.runtime.internal.snapshot.ReadOptions;
import dev.stasis.runtime.internal.snapshot.SnapshotCodec;
import dev.stasis.runtime.internal.store.SnapshotFile;
import dev.stasis.runtime.internal.store.SnapshotStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code list <dir>}: the snapshots in a directory, newest first, and whether each can be resumed (set-aside ones too). */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the snapshots in a snapshot directory (the agent's dir= option), newest first.")
final class ListCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<dir>", description = "snapshot directory")
    Path directory;

    @Override
    public Integer call() {
        if (!Files.isDirectory(directory)) {
            spec.commandLine().getErr().println("stasis: cannot list " + directory + ": "
                    + (Files.exists(directory) ? "not a directory" : "no such directory")
                    + "; give the directory of the agent's dir= option (default .stasis in the program's working directory)");
            return 1;
        }
        try {
            SnapshotStore store = SnapshotStore.openExisting(directory);
            List<SnapshotTable.Row> rows = new ArrayList<>();
            for (SnapshotFile file : store.list()) {
                rows.add(row(store, file));
            }
            for (SnapshotFile file : store.listBroken()) {
                rows.add(brokenRow(file));
            }
            rows.sort(Comparator.comparingLong((SnapshotTable.Row row) -> Long.parseLong(row.id())).reversed());
            List<SnapshotTable.Row> images = CriuImageRows.of(directory);
            if (rows.isEmpty() && images.isEmpty()) {
                spec.commandLine().getOut().print("no snapshots in " + directory + System.lineSeparator());
            } else {
                spec.commandLine().getOut().print(rows.isEmpty() ? "" : SnapshotTable.format(rows));
                spec.commandLine().getOut().print(images.isEmpty() ? "" : "CRIU images (engine=criu; java -jar stasis-agent.jar "
                        + "restore " + directory + "):" + System.lineSeparator() + SnapshotTable.format(images));
            }
            return 0;
        } catch (IOException | RuntimeException e) {
            spec.commandLine().getErr().println("stasis: cannot list " + directory + ": " + e.getMessage());
            return 1;
        }
    }

    /** A snapshot that cannot be read is still listed: the user needs to see it is there and why it is useless. */
    private static SnapshotTable.Row row(SnapshotStore store, SnapshotFile file) {
        try {
            // list has no key: it checks integrity, not who wrote the file (a resume does, with key=).
            Manifest manifest = SnapshotCodec.readManifest(file.path(), ReadOptions.defaults().ignoringMac());
            String state = store.isFinished(manifest.runId()) ? "finished" : "resumable";
            return new SnapshotTable.Row(file.id(), Instant.ofEpochMilli(manifest.createdAtMillis()), file.bytes(), state);
        } catch (IOException | RuntimeException e) {
            return new SnapshotTable.Row(file.id(), file.modified(), file.bytes(), "corrupt: " + e.getMessage());
        }
    }

    /** Set aside by a resume that found it damaged: never resumed again, kept so the user can see why. */
    private static SnapshotTable.Row brokenRow(SnapshotFile file) {
        String state = "broken, set aside as " + file.path().getFileName();
        try {
            SnapshotCodec.readManifest(file.path(), ReadOptions.defaults().ignoringMac());
            state += " (it passes its checks now)";
        } catch (IOException | RuntimeException e) {
            state += ": " + e.getMessage();
        }
        return new SnapshotTable.Row(file.id(), file.modified(), file.bytes(), state);
    }
}
