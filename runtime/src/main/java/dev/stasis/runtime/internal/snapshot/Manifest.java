package dev.stasis.runtime.internal.snapshot;

import java.util.List;
import java.util.Map;

/**
 * What a snapshot says about itself, readable without loading any application class.
 *
 * @param fingerprints internal class name to {@code ClassFingerprint} of every instrumented class
 * @param initOrder    internal names of the initialised instrumented classes, in initialisation order
 * @param threads      name and captured depth of each thread, e.g. {@code main:7}
 */
public record Manifest(int formatVersion, String snapshotId, String runId, long createdAtMillis,
                       String agentVersion, String javaVersion, String mainClass, List<String> arguments,
                       Map<String, String> fingerprints, List<String> initOrder, List<String> threads) {
    /** The format this agent writes and the only one it reads (docs/FORMAT.md). */
    public static final int FORMAT_VERSION = 3;
}
