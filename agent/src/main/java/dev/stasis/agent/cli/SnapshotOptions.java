package dev.stasis.agent.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Optional;

/** What {@code verify} and {@code inspect} need besides the file to read a snapshot as a resume would. */
final class SnapshotOptions {
    @Option(names = {"--class-path", "-cp"}, paramLabel = "<path>",
            description = "the program's class path, entries separated by '${sys:path.separator}' as for java -cp "
                    + "(default: the class path the run recorded, if the snapshot has it, else the current directory)")
    String classPath;

    @Option(names = "--key", paramLabel = "<file>",
            description = "the HMAC key file the snapshot was signed with (the agent's key= option; mode 0600)")
    Path keyFile;

    Optional<String> classPath() {
        return Optional.ofNullable(classPath);
    }

    Optional<Path> keyFile() {
        return Optional.ofNullable(keyFile);
    }
}
