package dev.stasis.runtime.internal.criu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** A shell script standing in for CRIU, for the parts of the engine that do not need a real one. */
final class FakeCriu {
    private FakeCriu() {
    }

    static Path script(Path dir, String body) throws IOException {
        Path script = dir.resolve("fake-criu");
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }
}
