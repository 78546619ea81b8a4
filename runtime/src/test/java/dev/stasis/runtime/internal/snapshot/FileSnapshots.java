package dev.stasis.runtime.internal.snapshot;

import dev.stasis.runtime.internal.snapshot.files.OpenFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/** Writes objects holding open files in a snapshot, and reads them back as a resume (or an inspection) does. */
final class FileSnapshots {
    private FileSnapshots() {
    }

    static Path checkpoint(Path dir, Object... refs) throws IOException {
        return Snapshots.write(dir.resolve("files-" + System.nanoTime() + ".stasis"), Snapshots.frameHolding(refs));
    }

    static Object[] read(Path snapshot, OpenFiles mode) throws IOException {
        SnapshotContent content = SnapshotCodec.readContent(snapshot, FileSnapshots.class.getClassLoader(),
                ReadOptions.defaults().withOpenFiles(mode));
        Object[] refs = content.threads().get(0).frames().get(0).refs;
        return Arrays.copyOf(refs, refs.length);
    }

    static Object[] resume(Path snapshot) throws IOException {
        return read(snapshot, OpenFiles.REOPEN);
    }
}
