package dev.stasis.agent.inspect;

import dev.stasis.runtime.internal.snapshot.Manifest;
import dev.stasis.runtime.internal.snapshot.SnapshotKey;
import dev.stasis.runtime.internal.snapshot.SnapshotKeyException;
import dev.stasis.runtime.internal.snapshot.VerifiedSnapshot;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** What the {@code verify} and {@code inspect} commands do, with their output as text. */
public final class Inspector {
    /** Why a snapshot was refused or could not be read, worded for the person at the terminal. */
    public static final class Failure extends Exception {
        Failure(String message) {
            super(message);
        }
    }

    /**
     * What {@code inspect} prints, and whether everything could be read ({@code complete} is false
     * when the saved objects could not: the output then holds the manifest and the reason).
     */
    public record Report(String output, boolean complete, String problem) {
    }

    private final SnapshotKey key;

    private Inspector(SnapshotKey key) {
        this.key = key;
    }

    /**
     * @param keyFile the HMAC key file the snapshots were signed with (the agent's {@code key=}), if any
     * @throws Failure when the key file cannot be used (missing, readable by others, too short...)
     */
    public static Inspector withKey(Optional<Path> keyFile) throws Failure {
        if (keyFile.isEmpty()) {
            return new Inspector(null);
        }
        try {
            return new Inspector(SnapshotKey.load(keyFile.get()));
        } catch (SnapshotKeyException e) {
            throw new Failure(e.getMessage());
        }
    }

    /**
     * Only what needs no class: header, manifest, every block checksum and decompression, the
     * trailer, and the signature when a key is given (without one, a signed file's signature is
     * not checked). Returns the "ok" line.
     */
    public String verifyFile(Path file) throws Failure {
        VerifiedSnapshot snapshot = check(() -> new SnapshotVerifier(new SnapshotReader(key, true)).verifyFile(file));
        return "ok: " + file + ": snapshot " + snapshot.manifest().snapshotId() + " of run " + snapshot.manifest().runId()
                + ": header, manifest, " + plural(snapshot.blocks(), "block") + ", trailer intact, "
                + Signature.of(snapshot) + " (classes not checked)";
    }

    /**
     * Everything a resume checks, against the program's classes; a signed snapshot needs its key,
     * as for a resume.
     *
     * @param classPath the program's class path; empty: the one the snapshot recorded, else the current directory
     * @return the one-line "ok" summary
     */
    public String verify(Path file, Optional<String> classPath) throws Failure {
        SnapshotReader reader = new SnapshotReader(key, false);
        SnapshotVerifier verifier = new SnapshotVerifier(reader);
        VerifiedSnapshot snapshot = check(() -> verifier.verifyFile(file));
        Manifest manifest = snapshot.manifest();
        try (IsolatedClassPath classes = open(reader, classPath, manifest)) {
            SnapshotVerifier.Verified verified = check(() -> verifier.verify(file, manifest, classes));
            return "ok: " + file + ": snapshot " + manifest.snapshotId() + " of run " + manifest.runId() + ", "
                    + plural(verified.threads(), "thread") + " with " + plural(verified.frames(), "frame")
                    + ", the statics of " + plural(verified.staticClasses(), "class") + ", " + Signature.of(snapshot)
                    + "; the fingerprints of " + plural(manifest.fingerprints().size(), "class")
                    + " match the class path " + verified.classPath();
        } catch (IOException e) {
            throw new Failure("cannot close the class path: " + e.getMessage());
        }
    }

    /**
     * The manifest, threads with their frames' values, static fields and the histogram. Without a
     * key, a signed snapshot is read with its checksums checked but not its signature.
     *
     * @param histogramRows classes the text histogram lists (0: all); JSON always lists all
     */
    public Report inspect(Path file, Optional<String> classPath, boolean json, int histogramRows) throws Failure {
        SnapshotReader reader = new SnapshotReader(key, true);
        VerifiedSnapshot snapshot = check(() -> new SnapshotVerifier(reader).verifyFile(file));
        try (IsolatedClassPath classes = open(reader, classPath, snapshot.manifest())) {
            Inspection inspection = check(() -> new SnapshotInspector(reader).inspect(file, snapshot, classes));
            String output = json ? JsonReport.render(inspection) : TextReport.render(inspection, histogramRows);
            return new Report(output, inspection.problem() == null, inspection.problem());
        } catch (IOException e) {
            throw new Failure("cannot close the class path: " + e.getMessage());
        }
    }

    private static IsolatedClassPath open(SnapshotReader reader, Optional<String> classPath, Manifest manifest)
            throws Failure {
        String chosen = classPath.or(() -> reader.recordedClassPath(manifest)).orElse(".");
        try {
            return IsolatedClassPath.of(chosen);
        } catch (IllegalArgumentException e) {
            throw new Failure(e.getMessage() + "; give the program's class path with --class-path");
        }
    }

    static String plural(long n, String one) {
        return n + " " + (n == 1 ? one : one.endsWith("s") ? one + "es" : one + "s");
    }

    private interface Check<T> {
        T run() throws SnapshotVerifier.Failure;
    }

    /** Runs a step; its refusal, and anything it did not expect (the program's code ran while reading), become a Failure. */
    private static <T> T check(Check<T> check) throws Failure {
        try {
            return check.run();
        } catch (SnapshotVerifier.Failure e) {
            throw new Failure(e.getMessage());
        } catch (RuntimeException | LinkageError e) {
            throw new Failure("unexpected error while reading it: " + e);
        }
    }
}
