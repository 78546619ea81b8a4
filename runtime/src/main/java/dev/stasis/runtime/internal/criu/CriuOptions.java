package dev.stasis.runtime.internal.criu;

import java.util.List;

/**
 * The CRIU options a JVM needs, the same for dump and restore (CRIU refuses to restore an image with options that
 * contradict the dump's).
 */
final class CriuOptions {
    /**
     * {@code --tcp-close}: established TCP connections (a JMX client that asked for this very checkpoint) are left
     * alone at the dump and come back closed, as the portable engine brings back sockets: the program sees an
     * ordinary I/O error and reconnects. {@code --file-locks}: a JVM may hold file locks, which CRIU refuses to dump
     * otherwise. {@code --link-remap}: a file deleted while open is linked back instead of failing the dump.
     * {@code --shell-job}: the process need not lead its own session.
     */
    static final List<String> COMMON = List.of("--tcp-close", "--file-locks", "--link-remap", "--shell-job");

    private CriuOptions() {
    }
}
