package dev.stasis.agent.cli;

import dev.stasis.runtime.internal.criu.CriuImages;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The CRIU images of a directory as {@code list} shows them, next to its portable snapshots. */
final class CriuImageRows {
    private CriuImageRows() {
    }

    static List<SnapshotTable.Row> of(Path directory) throws IOException {
        CriuImages images = CriuImages.openExisting(directory);
        List<SnapshotTable.Row> rows = new ArrayList<>();
        for (CriuImages.Image image : images.list()) {
            String state;
            try {
                state = images.isFinished(image.record().runId()) ? "finished" : "restorable";
            } catch (IOException e) {
                state = "damaged: " + e.getMessage();
            }
            rows.add(new SnapshotTable.Row(image.id(), Files.getLastModifiedTime(image.path()).toInstant(), image.bytes(), state));
        }
        return rows;
    }
}
