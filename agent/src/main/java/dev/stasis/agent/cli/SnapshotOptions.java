package dev.stasis.agent.cli;

import picocli.CommandLine.Option;

import java.util.Optional;

/** What {@code verify} and {@code inspect} need besides the file to read a snapshot as a resume would. */
final class SnapshotOptions {
    @Option(names = {"--class-path", "-cp"}, paramLabel = "<path>",
            description = "the program's class path, entries separated by '${sys:path.separator}' as for java -cp "
                    + "(default: the class path the run recorded, if the snapshot has it, else the current directory)")
    String classPath;

    // A snapshot signed with an HMAC key (the agent's key= option) is read with the same key: its
    // --key <file> option belongs here, handed to the Inspector with the class path.

    Optional<String> classPath() {
        return Optional.ofNullable(classPath);
    }
}
