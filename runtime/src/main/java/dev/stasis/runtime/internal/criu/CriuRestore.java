package dev.stasis.runtime.internal.criu;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code restore}: brings back the process of a CRIU image with {@code criu restore -d}, under its old pid, detached
 * from the caller. Before CRIU runs it puts the files the process had open back the way they were at the dump
 * (output truncated to its size then, the hsperfdata file in place), and leaves the marker by which the restored
 * process knows it was restored.
 */
public final class CriuRestore {
    private static final long RESTORE_TIMEOUT_SECONDS = 300;
    /**
     * Every JVM that starts deletes the hsperfdata files of processes that are not running, the one just put back
     * for CRIU included, and CRIU opens it a few milliseconds later: on a machine where JVMs start all the time the
     * two can meet. CRIU then fails cleanly (the half-restored process is killed), and another attempt succeeds.
     */
    private static final int ATTEMPTS = 5;

    private final CriuBinary criu;
    private final CriuImages images;

    public CriuRestore(CriuBinary criu, CriuImages images) {
        this.criu = criu;
        this.images = images;
    }

    /** What was restored, and how long CRIU took. */
    public record Restored(String imageId, long pid, Path log, long criuMillis) {
    }

    /**
     * Restores image {@code imageId}, or the newest when empty.
     *
     * @param force restore even an image of a run that has since ended in an orderly way
     * @throws CriuRestoreException saying what is in the way and what to do
     */
    public Restored restore(Optional<String> imageId, boolean force) throws CriuRestoreException {
        CriuImages.Image image = choose(imageId);
        CriuImages.ImageRecord record;
        try {
            record = image.record();
        } catch (IOException e) {
            throw new CriuRestoreException(e.getMessage(), e);
        }
        if (ProcessHandle.of(record.pid()).isPresent()) {
            throw new CriuRestoreException("process " + record.pid() + ", which image " + image.id()
                    + " holds, is still running (CRIU restores a process under its old pid): kill it first, e.g. kill -9 "
                    + record.pid() + ", and restore once it is gone");
        }
        if (!force && images.isFinished(record.runId())) {
            throw new CriuRestoreException("the run that image " + image.id() + " holds has since ended normally "
                    + "(marker " + images.finishedMarker(record.runId()) + "); restoring it would repeat its end. "
                    + "Give --force to restore it anyway");
        }
        prepareFiles(image);
        markRestored(image);
        Path log = image.path().resolve(CriuImages.RESTORE_LOG);
        for (int attempt = 1; ; attempt++) {
            restorePerfData(image);
            long start = System.nanoTime();
            try {
                runCriu(image, log);
                return new Restored(image.id(), record.pid(), log, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            } catch (CriuRestoreException e) {
                if (attempt == ATTEMPTS || !CriuDump.readQuietly(log).contains("/hsperfdata_")) {
                    throw e;
                }
            }
        }
    }

    private CriuImages.Image choose(Optional<String> imageId) throws CriuRestoreException {
        List<CriuImages.Image> all;
        try {
            all = images.list();
        } catch (IOException e) {
            throw new CriuRestoreException("cannot list " + images.directory() + ": " + e.getMessage(), e);
        }
        if (all.isEmpty()) {
            throw new CriuRestoreException("no CRIU image in " + images.directory() + " (images are the criu-<n> "
                    + "directories a run with engine=criu writes at each checkpoint); give the dir= of such a run");
        }
        if (imageId.isEmpty()) {
            return all.get(0);
        }
        return all.stream().filter(image -> image.id().equals(imageId.get())).findFirst()
                .orElseThrow(() -> new CriuRestoreException("no complete CRIU image " + imageId.get() + " in "
                        + images.directory() + "; the images there: "
                        + String.join(", ", all.stream().map(CriuImages.Image::id).toList())));
    }

    /**
     * Output written after the dump by the process that went on would otherwise stay behind the restored process's
     * file position, and CRIU refuses a file whose size changed; a file now shorter than at the dump lost data the
     * restored process counts on.
     */
    private static void prepareFiles(CriuImages.Image image) throws CriuRestoreException {
        Path list = image.path().resolve(CriuImages.WRITTEN_FILES);
        List<String> lines;
        try {
            lines = Files.readAllLines(list, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CriuRestoreException("cannot read " + list + " (" + e.getMessage() + "); the image is incomplete", e);
        }
        List<String> problems = new ArrayList<>();
        for (String line : lines) {
            int tab = line.indexOf('\t');
            if (tab < 0) {
                continue;
            }
            long size = Long.parseLong(line.substring(0, tab));
            Path file = Path.of(line.substring(tab + 1));
            truncate(file, size, problems);
        }
        if (!problems.isEmpty()) {
            throw new CriuRestoreException("the files the process wrote are not as it left them at the checkpoint: "
                    + String.join("; ", problems) + ". Put them back (or restore an older image with --image)");
        }
    }

    private static void truncate(Path file, long size, List<String> problems) {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long now = raf.length();
            if (now < size) {
                problems.add(file + " is " + now + " bytes, shorter than the " + size + " bytes it had");
            } else if (now > size) {
                raf.setLength(size);
            }
        } catch (IOException e) {
            problems.add(file + " cannot be opened for writing (" + e.getMessage() + ")");
        }
    }

    private static void restorePerfData(CriuImages.Image image) throws CriuRestoreException {
        Path copy = image.path().resolve(CriuImages.PERF_DATA);
        Path where = image.path().resolve(CriuImages.PERF_DATA_PATH);
        if (!Files.exists(copy) || !Files.exists(where)) {
            return;
        }
        try {
            Path original = Path.of(Files.readString(where, StandardCharsets.UTF_8).strip());
            if (!Files.exists(original)) {
                Files.createDirectories(original.getParent());
                Files.copy(copy, original, StandardCopyOption.COPY_ATTRIBUTES);
            }
        } catch (IOException e) {
            throw new CriuRestoreException("cannot put the JVM's hsperfdata file back from " + copy + ": " + e.getMessage(), e);
        }
    }

    private static void markRestored(CriuImages.Image image) throws CriuRestoreException {
        try {
            Files.writeString(image.path().resolve(CriuImages.RESTORED_MARKER), ProcessHandle.current().pid() + "\n");
        } catch (IOException e) {
            throw new CriuRestoreException("cannot write the marker " + image.path().resolve(CriuImages.RESTORED_MARKER)
                    + " that tells the restored process it was restored: " + e.getMessage(), e);
        }
    }

    private void runCriu(CriuImages.Image image, Path log) throws CriuRestoreException {
        List<String> argv = new ArrayList<>(List.of(criu.executable().toString(), "restore", "-D", image.path().toString(),
                "-d", "-o", CriuImages.RESTORE_LOG));
        argv.addAll(CriuOptions.COMMON);
        Path output = image.path().resolve("restore.out");
        try {
            Process process = new ProcessBuilder(argv)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(output.toFile())
                    .redirectErrorStream(true)
                    .start();
            if (!process.waitFor(RESTORE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new CriuRestoreException("criu restore did not finish within " + RESTORE_TIMEOUT_SECONDS
                        + " s; its log: " + log);
            }
            if (process.exitValue() != 0) {
                throw new CriuRestoreException("criu restore of " + image.id() + " failed (exit code "
                        + process.exitValue() + "): " + CriuDump.tailOf(log) + "; its log: " + log);
            }
        } catch (IOException e) {
            throw new CriuRestoreException("cannot run " + criu.executable() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CriuRestoreException("interrupted while CRIU restored " + image.id(), e);
        }
    }
}
