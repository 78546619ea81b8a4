package dev.stasis.runtime.internal.criu;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The CRIU images in a snapshot directory, beside the portable engine's snapshot files: one directory
 * {@code criu-<n>} per checkpoint, {@code n} growing. A dump goes into {@code .criu-<n>.tmp} and is renamed to its
 * final name only once CRIU has finished it, so a directory under a {@code criu-<n>} name is always a complete image.
 * A failed dump keeps its logs (and nothing else) in {@code criu-<n>.failed} until the next failure.
 */
public final class CriuImages {
    /** What Stasis records about the dumped process in each image: its pid and run. */
    static final String RECORD = "stasis-criu.properties";
    /** Written by {@code restore} before CRIU restores the image: the restored process looks for it. */
    static final String RESTORED_MARKER = "stasis-restored";
    /** Regular files the process had open for writing, with their size at the dump ("size TAB path" lines). */
    static final String WRITTEN_FILES = "stasis-written-files";
    /** A copy of the JVM's hsperfdata file, which other JVMs delete once its process is gone. */
    static final String PERF_DATA = "stasis-perfdata";
    static final String PERF_DATA_PATH = "stasis-perfdata.path";
    static final String DUMP_LOG = "dump.log";
    static final String RESTORE_LOG = "restore.log";

    private static final Pattern IMAGE_NAME = Pattern.compile("criu-(\\d{1,18})");
    private static final Pattern ID_BEARING_NAME = Pattern.compile("\\.?criu-(\\d{1,18})(\\.tmp|\\.failed)?");
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private final Path directory;

    private CriuImages(Path directory) {
        this.directory = directory;
    }

    /** Opens {@code directory}, creating it (0700) when missing. */
    public static CriuImages open(Path directory) throws IOException {
        Path dir = directory.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        if (!Files.isWritable(dir)) {
            throw new IOException(dir + " is not writable; choose a writable directory with dir=PATH");
        }
        return new CriuImages(dir);
    }

    /** Opens an existing directory for reading (the {@code restore} command). */
    public static CriuImages openExisting(Path directory) throws IOException {
        Path dir = directory.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, Files.exists(dir) ? "not a directory" : "no such directory");
        }
        return new CriuImages(dir);
    }

    public Path directory() {
        return directory;
    }

    /** A new image's id: greater than every id in the directory, committed, temporary or failed. */
    long nextId() throws IOException {
        long max = 0;
        try (Stream<Path> entries = Files.list(directory)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                Matcher m = ID_BEARING_NAME.matcher(entry.getFileName().toString());
                if (m.matches()) {
                    max = Math.max(max, Long.parseLong(m.group(1)));
                }
            }
        }
        return max + 1;
    }

    static String name(long id) {
        return "criu-" + id;
    }

    Path temporary(long id) {
        return directory.resolve("." + name(id) + ".tmp");
    }

    Path committed(long id) {
        return directory.resolve(name(id));
    }

    /**
     * Deletes the temporary directories of dumps whose JVM is gone (killed or crashed while CRIU dumped it): nothing
     * will ever commit them, and each can be as large as that process was. One whose process still runs is left alone.
     */
    void removeAbandoned() throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                if (!entry.getFileName().toString().matches("\\.criu-\\d{1,18}\\.tmp")) {
                    continue;
                }
                Optional<Long> pid = writerOf(entry);
                if (pid.isEmpty() || ProcessHandle.of(pid.get()).isEmpty()) {
                    deleteTree(entry);
                }
            }
        }
    }

    private static Optional<Long> writerOf(Path temporary) {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(temporary.resolve(RECORD), StandardCharsets.UTF_8)) {
            properties.load(in);
            return Optional.of(Long.parseLong(properties.getProperty("pid", "")));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Complete images, newest first. */
    public List<Image> list() throws IOException {
        List<Image> images = new ArrayList<>();
        try (Stream<Path> entries = Files.list(directory)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                Matcher m = IMAGE_NAME.matcher(entry.getFileName().toString());
                if (m.matches() && Files.isRegularFile(entry.resolve(RECORD))) {
                    images.add(new Image(entry.getFileName().toString(), Long.parseLong(m.group(1)), entry));
                }
            }
        }
        images.sort(Comparator.comparingLong(Image::number).reversed());
        return images;
    }

    /** Deletes all but the newest {@code keep} images. */
    void prune(int keep) throws IOException {
        List<Image> images = list();
        for (Image old : images.subList(Math.min(keep, images.size()), images.size())) {
            deleteTree(old.path());
        }
    }

    /**
     * Renames a finished dump to its committed name and makes the rename durable. CRIU wrote and closed every image
     * file before it reported success; the directory fsync makes the new name survive a power loss.
     */
    Path commit(long id) throws IOException {
        Path target = committed(id);
        Files.move(temporary(id), target, StandardCopyOption.ATOMIC_MOVE);
        fsyncDirectory(directory);
        return target;
    }

    /**
     * Sets a failed dump aside under {@code criu-<n>.failed} with its logs only (a partial image can be as large as
     * the process), replacing the previous failure's, and returns where its CRIU log now is.
     */
    Path setAsideFailed(long id) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                if (entry.getFileName().toString().matches("criu-\\d{1,18}\\.failed")) {
                    deleteTree(entry);
                }
            }
        }
        Path temp = temporary(id);
        try (Stream<Path> files = Files.list(temp)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (!name.endsWith(".log") && !name.endsWith(".out")) {
                    deleteTree(file);
                }
            }
        }
        Path failed = directory.resolve(name(id) + ".failed");
        Files.move(temp, failed, StandardCopyOption.ATOMIC_MOVE);
        return failed;
    }

    /** The marker {@code markFinished} leaves for a run that ended in an orderly way. */
    Path finishedMarker(String runId) {
        if (!RUN_ID.matcher(runId).matches()) {
            throw new IllegalArgumentException("not a run id: " + runId);
        }
        return directory.resolve("criu-finished-" + runId);
    }

    void markFinished(String runId) throws IOException {
        try {
            Files.createFile(finishedMarker(runId));
        } catch (FileAlreadyExistsException e) {
            // the same run restored and finished a second time
        }
    }

    public boolean isFinished(String runId) {
        return RUN_ID.matcher(runId).matches() && Files.exists(finishedMarker(runId));
    }

    /** One committed image. */
    public record Image(String id, long number, Path path) {
        /** The Stasis record written when the dump started. */
        public ImageRecord record() throws IOException {
            Properties properties = new Properties();
            try (Reader in = Files.newBufferedReader(path.resolve(RECORD), StandardCharsets.UTF_8)) {
                properties.load(in);
            }
            return ImageRecord.of(properties, path.resolve(RECORD));
        }

        public long bytes() throws IOException {
            try (Stream<Path> files = Files.walk(path)) {
                return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
            }
        }
    }

    /**
     * What the JVM records before it asks CRIU for a dump.
     *
     * @param pid   the dumped process, which CRIU restores under the same pid
     * @param runId the run (a restored process is the same run: its {@code markFinished} ends it for good)
     */
    public record ImageRecord(long pid, String runId) {
        static ImageRecord of(Properties properties, Path file) throws IOException {
            String pid = properties.getProperty("pid");
            String runId = properties.getProperty("run");
            if (pid == null || !pid.matches("\\d{1,10}") || runId == null || !RUN_ID.matcher(runId).matches()) {
                throw new IOException(file + " is damaged (pid '" + pid + "', run '" + runId + "'); the image cannot "
                        + "be restored by Stasis");
            }
            return new ImageRecord(Long.parseLong(pid), runId);
        }

        void write(Path imageDirectory) throws IOException {
            Properties properties = new Properties();
            properties.setProperty("pid", Long.toString(pid));
            properties.setProperty("run", runId);
            try (Writer out = Files.newBufferedWriter(imageDirectory.resolve(RECORD), StandardCharsets.UTF_8)) {
                properties.store(out, "Stasis: the process this CRIU image holds");
            }
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void fsyncDirectory(Path dir) throws IOException {
        try (var channel = java.nio.channels.FileChannel.open(dir, java.nio.file.StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
