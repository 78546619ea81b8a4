package dev.stasis.agent.inspect;

import dev.stasis.runtime.internal.snapshot.Manifest;
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

    private final SnapshotReader reader = new SnapshotReader();

    /** Only what needs no class: header, manifest, every block checksum, the trailer. Returns the "ok" line. */
    public String verifyFile(Path file) throws Failure {
        Manifest manifest = check(() -> new SnapshotVerifier(reader).verifyFile(file));
        return "ok: " + file + ": snapshot " + manifest.snapshotId() + " of run " + manifest.runId()
                + ": header, manifest, block checksums and trailer intact (classes not checked)";
    }

    /**
     * Everything a resume checks, against the program's classes.
     *
     * @param classPath the program's class path; empty: the one the snapshot recorded, else the current directory
     * @return the one-line "ok" summary
     */
    public String verify(Path file, Optional<String> classPath) throws Failure {
        Manifest manifest = check(() -> new SnapshotVerifier(reader).verifyFile(file));
        try (IsolatedClassPath classes = open(classPath, manifest)) {
            SnapshotVerifier.Verified verified = check(() -> new SnapshotVerifier(reader).verify(file, manifest, classes));
            return "ok: " + file + ": snapshot " + manifest.snapshotId() + " of run " + manifest.runId() + ", "
                    + plural(verified.threads(), "thread") + " with " + plural(verified.frames(), "frame")
                    + ", the statics of " + plural(verified.staticClasses(), "class") + "; "
                    + "the fingerprints of " + plural(manifest.fingerprints().size(), "class") + " match the class path "
                    + verified.classPath();
        } catch (IOException e) {
            throw new Failure("cannot close the class path: " + e.getMessage());
        }
    }

    /**
     * The manifest, threads with their frames' values, static fields and the histogram.
     *
     * @param histogramRows classes the text histogram lists (0: all); JSON always lists all
     */
    public Report inspect(Path file, Optional<String> classPath, boolean json, int histogramRows) throws Failure {
        Manifest manifest = check(() -> new SnapshotVerifier(reader).verifyFile(file));
        try (IsolatedClassPath classes = open(classPath, manifest)) {
            Inspection inspection = check(() -> new SnapshotInspector(reader).inspect(file, manifest, classes));
            String output = json ? JsonReport.render(inspection) : TextReport.render(inspection, histogramRows);
            return new Report(output, inspection.problem() == null, inspection.problem());
        } catch (IOException e) {
            throw new Failure("cannot close the class path: " + e.getMessage());
        }
    }

    private IsolatedClassPath open(Optional<String> classPath, Manifest manifest) throws Failure {
        String chosen = classPath.or(() -> reader.recordedClassPath(manifest)).orElse(".");
        try {
            return IsolatedClassPath.of(chosen);
        } catch (IllegalArgumentException e) {
            throw new Failure(e.getMessage() + "; give the program's class path with --class-path");
        }
    }

    private static String plural(int n, String one) {
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
