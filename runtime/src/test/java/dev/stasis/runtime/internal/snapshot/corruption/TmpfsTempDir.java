package dev.stasis.runtime.internal.snapshot.corruption;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

/**
 * Temporary directories in memory (/dev/shm) where the machine has it, else in the usual place:
 * the corruption tests write thousands of files of up to a few MiB, several times faster there.
 */
final class TmpfsTempDir implements TempDirFactory {
    private static final Path SHARED_MEMORY = Path.of("/dev/shm");

    @Override
    public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext context) throws IOException {
        if (Files.isDirectory(SHARED_MEMORY) && Files.isWritable(SHARED_MEMORY)) {
            return Files.createTempDirectory(SHARED_MEMORY, "stasis-corruption");
        }
        return Files.createTempDirectory("stasis-corruption");
    }
}
