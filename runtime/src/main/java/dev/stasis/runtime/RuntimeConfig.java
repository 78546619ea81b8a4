package dev.stasis.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What the engine needs to know from the agent's options.
 *
 * @param directory    where snapshots live (created 0700 if missing)
 * @param restore      {@code auto}, {@code never}, {@code latest} or a snapshot id
 * @param quiesceTimeout how long a checkpoint waits for the application threads to reach a safepoint
 * @param keep         how many snapshots to retain (newest first)
 * @param mainClass    the main class of this JVM as the launcher reported it (may be empty)
 * @param arguments    the main arguments as the launcher reported them
 * @param compression  how snapshot data blocks are stored
 * @param keyFile      the HMAC-SHA256 key file (owner-only mode), or null to write and accept unsigned snapshots
 * @param rebind       on resume, bind the program's server sockets to their address again (else they come back closed)
 * @param changedInputs whether a resume proceeds when a file the program had open for reading changed since
 */
public record RuntimeConfig(Path directory, String restore, Duration quiesceTimeout, int keep,
                            String mainClass, List<String> arguments, Compression compression, Path keyFile,
                            boolean rebind, ChangedInputs changedInputs) {
    public RuntimeConfig {
        arguments = List.copyOf(arguments);
        Objects.requireNonNull(compression, "compression");
        Objects.requireNonNull(changedInputs, "changedInputs");
    }

    /** Changed input files refuse the resume. */
    public RuntimeConfig(Path directory, String restore, Duration quiesceTimeout, int keep,
                         String mainClass, List<String> arguments, Compression compression, Path keyFile,
                         boolean rebind) {
        this(directory, restore, quiesceTimeout, keep, mainClass, arguments, compression, keyFile, rebind,
                ChangedInputs.REFUSE);
    }

    /** Uncompressed, unsigned snapshots. */
    public RuntimeConfig(Path directory, String restore, Duration quiesceTimeout, int keep,
                         String mainClass, List<String> arguments) {
        this(directory, restore, quiesceTimeout, keep, mainClass, arguments, Compression.NONE, null, true);
    }

    /** Server sockets bound again on resume. */
    public RuntimeConfig(Path directory, String restore, Duration quiesceTimeout, int keep,
                         String mainClass, List<String> arguments, Compression compression, Path keyFile) {
        this(directory, restore, quiesceTimeout, keep, mainClass, arguments, compression, keyFile, true);
    }
}
