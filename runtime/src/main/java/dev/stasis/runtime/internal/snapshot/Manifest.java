package dev.stasis.runtime.internal.snapshot;

import java.util.List;
import java.util.Map;

/**
 * What a snapshot says about itself, readable without loading any application class.
 *
 * @param fingerprints internal class name to {@code ClassFingerprint} of every instrumented class
 * @param initOrder    internal names of the initialised instrumented classes, in initialisation order
 * @param threads      name and captured depth of each thread, e.g. {@code main:7}
 * @param environment  the system properties and environment (digests) the run saw, compared at resume
 * @param clockNanos   the application's clock ({@code dev.stasis.rt.Stasis.nanoTime()}) when its thread stopped;
 *                     a resume makes the clock go on from here (format 4)
 */
public record Manifest(int formatVersion, String snapshotId, String runId, long createdAtMillis,
                       String agentVersion, String javaVersion, String mainClass, List<String> arguments,
                       Map<String, String> fingerprints, List<String> initOrder, List<String> threads,
                       RunEnvironment environment, long clockNanos) {
    /** The format this agent writes and the only one it reads (docs/FORMAT.md). */
    public static final int FORMAT_VERSION = 8;

    public Manifest {
        environment = environment == null ? RunEnvironment.NONE : environment;
    }

    /** A manifest whose clock reading is 0 (tests and tools that never resume it). */
    public Manifest(int formatVersion, String snapshotId, String runId, long createdAtMillis,
                    String agentVersion, String javaVersion, String mainClass, List<String> arguments,
                    Map<String, String> fingerprints, List<String> initOrder, List<String> threads,
                    RunEnvironment environment) {
        this(formatVersion, snapshotId, runId, createdAtMillis, agentVersion, javaVersion, mainClass, arguments,
                fingerprints, initOrder, threads, environment, 0L);
    }

    /** A manifest that records no run environment. */
    public Manifest(int formatVersion, String snapshotId, String runId, long createdAtMillis,
                    String agentVersion, String javaVersion, String mainClass, List<String> arguments,
                    Map<String, String> fingerprints, List<String> initOrder, List<String> threads) {
        this(formatVersion, snapshotId, runId, createdAtMillis, agentVersion, javaVersion, mainClass, arguments,
                fingerprints, initOrder, threads, RunEnvironment.NONE, 0L);
    }
}
