package dev.stasis.runtime.internal.store;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The snapshot directory: {@code snapshot-<id>.stasis} files (0600) in a 0700 directory, written
 * all or nothing, and {@code finished-<runId>} markers for runs that ended in an orderly way.
 *
 * <p>A commit is: create {@code .snapshot-<id>.stasis.<pid>.tmp}, write, fsync it, rename it to
 * its final name, fsync the directory. A crash at any instant leaves either the previous state or
 * the new snapshot complete under its name, never a torn file under a snapshot name; a failure
 * leaves the previous state and no temp file. Every step goes through {@link SnapshotFiles}, so
 * tests can fail or crash each one.
 */
public final class SnapshotStore {

    /** Writes one snapshot's bytes; returns how many it wrote. */
    @FunctionalInterface
    public interface WriteAction {
        long write(OutputStream out) throws IOException;
    }

    private static final Pattern SNAPSHOT_NAME = Pattern.compile("snapshot-(\\d{1,18})\\.stasis");
    private static final Pattern BROKEN_NAME = Pattern.compile("snapshot-(\\d{1,18})\\.stasis\\.broken");
    /** Committed and set-aside snapshots: a new id is greater than all of them. */
    private static final Pattern ID_BEARING_NAME = Pattern.compile("snapshot-(\\d{1,18})\\.stasis(\\.broken)?");
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwx------");
    private static final int WRITE_BUFFER = 1 << 16;

    private final Path directory;
    private final SnapshotFiles files;
    private final long writerPid;
    /** Temp files of this store whose deletion failed; deleted at the next commit. */
    private final Set<Path> undeleted = new LinkedHashSet<>();
    private long lastIssuedId;

    private SnapshotStore(Path directory, SnapshotFiles files, long writerPid) {
        this.directory = directory;
        this.files = files;
        this.writerPid = writerPid;
    }

    /** {@link #open(Path, SnapshotFiles)} on the real file system. */
    public static SnapshotStore open(Path directory) throws IOException {
        return open(directory, SnapshotFiles.nio());
    }

    /**
     * Opens (creating it 0700 if missing) and checks it is a writable directory; deletes the temp
     * files of writers that are gone (a crash mid-commit leaves one), never those of a live one.
     */
    public static SnapshotStore open(Path directory, SnapshotFiles files) throws IOException {
        return open(directory, files, ProcessHandle.current().pid());
    }

    /** As {@link #open(Path, SnapshotFiles)}, writing temp files under the name of {@code writerPid}. */
    static SnapshotStore open(Path directory, SnapshotFiles files, long writerPid) throws IOException {
        Path dir = directory.toAbsolutePath().normalize();
        if (Files.notExists(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY_MODE));
        }
        requireDirectory(dir);
        if (!isWritable(dir, writerPid)) {
            throw new IOException("snapshot directory " + dir + " is not writable (" + describeOwnership(dir)
                    + "): choose another with dir=PATH");
        }
        SnapshotStore store = new SnapshotStore(dir, files, writerPid);
        store.deleteAbandonedTempFiles();
        return store;
    }

    /**
     * Opens an existing directory for the CLI: never creates anything, and deletes only what
     * {@link #prune(int, Consumer)} or {@link #deleteBroken} is asked to (not even abandoned temp files).
     */
    public static SnapshotStore openExisting(Path directory) throws IOException {
        Path dir = directory.toAbsolutePath().normalize();
        if (!Files.exists(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "snapshot directory does not exist: check dir=PATH");
        }
        requireDirectory(dir);
        return new SnapshotStore(dir, SnapshotFiles.nio(), ProcessHandle.current().pid());
    }

    public Path directory() {
        return directory;
    }

    /**
     * A new id, greater than every id in the store (broken snapshots set aside included) and every
     * id this store issued before.
     */
    public synchronized String newSnapshotId() {
        long highest = lastIssuedId;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                Matcher m = ID_BEARING_NAME.matcher(entry.getFileName().toString());
                if (m.matches()) {
                    highest = Math.max(highest, Long.parseLong(m.group(1)));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list snapshot directory " + directory + ": " + e.getMessage(), e);
        }
        lastIssuedId = highest + 1;
        return String.format("%06d", lastIssuedId);
    }

    /**
     * Temp name, write, fsync, rename, fsync of the directory. When any step fails, the temp file
     * (or, if only the directory fsync failed, the renamed file) is deleted and the error thrown:
     * a failed commit adds nothing to the store.
     */
    public synchronized SnapshotFile commit(String id, WriteAction action) throws IOException {
        requireId(id);
        deleteUndeleted();
        Path target = directory.resolve(fileName(id));
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(target.toString(), null, "snapshot " + id + " already exists");
        }
        replaceDurably(fileName(id), action);
        return describe(id, target);
    }

    /** Committed snapshots, newest first. */
    public List<SnapshotFile> list() throws IOException {
        return listMatching(SNAPSHOT_NAME);
    }

    /** Snapshots set aside by {@link #markBroken}, newest first: never resumed, kept for inspection. */
    public List<SnapshotFile> listBroken() throws IOException {
        return listMatching(BROKEN_NAME);
    }

    private List<SnapshotFile> listMatching(Pattern name) throws IOException {
        List<SnapshotFile> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                Matcher m = name.matcher(entry.getFileName().toString());
                if (m.matches() && Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
                    try {
                        found.add(describe(m.group(1), entry));
                    } catch (NoSuchFileException e) {
                        // pruned by someone else between listing and reading its attributes
                    }
                }
            }
        }
        found.sort(Comparator.comparingLong((SnapshotFile f) -> Long.parseLong(f.id())).reversed());
        return found;
    }

    public Optional<SnapshotFile> find(String id) throws IOException {
        requireId(id);
        long wanted = Long.parseLong(id);
        for (SnapshotFile f : list()) {
            if (Long.parseLong(f.id()) == wanted) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /**
     * What {@link #prune(int)} would delete now: every committed snapshot but the newest {@code keep}
     * by id, newest first. Finished markers, {@code .broken} files and temp files are never among them.
     */
    public List<SnapshotFile> prunable(int keep) throws IOException {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1 (the newest snapshot is never deleted), was " + keep);
        }
        List<SnapshotFile> all = list();
        return List.copyOf(all.subList(Math.min(keep, all.size()), all.size()));
    }

    /** Deletes all but the newest {@code keep} snapshots. */
    public synchronized void prune(int keep) throws IOException {
        prune(keep, deleted -> { });
    }

    /**
     * As {@link #prune(int)}, telling {@code deleted} about each snapshot once it is deleted.
     * Finished markers stay even when their run has no snapshot left: deleting one while a snapshot
     * of its run remains would make a finished run resumable again.
     */
    public synchronized void prune(int keep, Consumer<SnapshotFile> deleted) throws IOException {
        deleteDurably(prunable(keep), deleted);
    }

    /** Deletes the snapshots set aside by {@link #markBroken} (only on request: they are evidence). */
    public synchronized void deleteBroken(Consumer<SnapshotFile> deleted) throws IOException {
        deleteDurably(listBroken(), deleted);
    }

    /** The directory is fsynced even after a failed delete, so what was deleted stays deleted. */
    private void deleteDurably(List<SnapshotFile> doomed, Consumer<SnapshotFile> deleted) throws IOException {
        try {
            for (SnapshotFile file : doomed) {
                files.delete(file.path());
                deleted.accept(file);
            }
        } catch (IOException | RuntimeException e) {
            try {
                files.syncDirectory(directory);
            } catch (IOException | RuntimeException syncFailure) {
                e.addSuppressed(syncFailure);
            }
            throw e;
        }
        files.syncDirectory(directory);
    }

    /**
     * Renames a snapshot that failed its checks to {@code snapshot-<id>.stasis.broken} (as etcd
     * does), so it is kept for inspection but never listed or loaded again.
     *
     * @return the new path
     */
    public synchronized Path markBroken(SnapshotFile snapshot) throws IOException {
        Path broken = snapshot.path().resolveSibling(snapshot.path().getFileName() + ".broken");
        files.rename(snapshot.path(), broken);
        files.syncDirectory(directory);
        return broken;
    }

    public synchronized void markFinished(String runId) throws IOException {
        byte[] text = (runId + "\n").getBytes(StandardCharsets.UTF_8);
        replaceDurably(markerName(runId), out -> {
            out.write(text);
            return text.length;
        });
    }

    public boolean isFinished(String runId) throws IOException {
        return Files.exists(directory.resolve(markerName(runId)));
    }

    /** The commit protocol: after it returns, {@code name} holds what {@code action} wrote and survives a crash. */
    private void replaceDurably(String name, WriteAction action) throws IOException {
        Path temp = directory.resolve(TempFiles.nameFor(name, writerPid));
        Path target = directory.resolve(name);
        boolean renamed = false;
        try {
            writeAndForce(temp, action);
            files.rename(temp, target);
            renamed = true;
            files.syncDirectory(directory);
        } catch (IOException | RuntimeException | Error e) {
            // A rename whose durability is unknown is taken back: the caller hears "failed" and must find nothing new.
            discard(renamed ? target : temp, e);
            throw e;
        }
    }

    private void writeAndForce(Path temp, WriteAction action) throws IOException {
        try (SnapshotFiles.WritableFile file = files.createNew(temp)) {
            OutputStream out = new BufferedOutputStream(new FileStream(file), WRITE_BUFFER);
            action.write(out);
            out.flush();
            file.force();
        }
    }

    private void discard(Path file, Throwable failure) {
        try {
            files.delete(file);
        } catch (IOException | RuntimeException e) {
            undeleted.add(file);
            failure.addSuppressed(e);
        }
    }

    private void deleteUndeleted() {
        undeleted.removeIf(leftover -> {
            try {
                files.delete(leftover);
                return true;
            } catch (IOException | RuntimeException e) {
                return false;
            }
        });
    }

    private void deleteAbandonedTempFiles() throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                OptionalLong writer = TempFiles.writerOf(entry.getFileName().toString());
                if (writer.isPresent() && isAbandoned(entry, writer.getAsLong())) {
                    files.delete(entry);
                }
            }
        }
    }

    private static boolean isAbandoned(Path temp, long writer) throws IOException {
        try {
            return TempFiles.isAbandoned(writer, Files.getLastModifiedTime(temp, LinkOption.NOFOLLOW_LINKS).toInstant());
        } catch (NoSuchFileException e) {
            return false; // its writer renamed or deleted it meanwhile
        }
    }

    private static SnapshotFile describe(String id, Path path) throws IOException {
        return new SnapshotFile(id, path, Files.size(path), Files.getLastModifiedTime(path).toInstant());
    }

    private static String fileName(String id) {
        return "snapshot-" + id + ".stasis";
    }

    private static String markerName(String runId) {
        if (runId == null || !RUN_ID.matcher(runId).matches()) {
            throw new IllegalArgumentException("run id must be 1-128 letters, digits, '.', '_' or '-', was " + runId);
        }
        return "finished-" + runId;
    }

    private static void requireId(String id) {
        if (id == null || !id.matches("\\d{1,18}")) {
            throw new IllegalArgumentException("snapshot id must be decimal digits, was " + id);
        }
    }

    private static void requireDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("snapshot directory " + dir + " is not a directory: choose another with dir=PATH");
        }
    }

    /** access(2) says yes to root for any mode, so also try to create a file. */
    private static boolean isWritable(Path dir, long writerPid) {
        if (!Files.isWritable(dir)) {
            return false;
        }
        try {
            Path probe = Files.createTempFile(dir, ".stasis-probe-", "." + writerPid + ".tmp");
            Files.delete(probe);
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    private static String describeOwnership(Path dir) {
        try {
            return "owner " + Files.getOwner(dir).getName() + ", mode "
                    + PosixFilePermissions.toString(Files.getPosixFilePermissions(dir));
        } catch (IOException | UnsupportedOperationException e) {
            return "owner and mode unknown";
        }
    }

    /** The action's view of the file: closing it is harmless, the store forces and closes the file itself. */
    private static final class FileStream extends OutputStream {
        private final SnapshotFiles.WritableFile file;

        FileStream(SnapshotFiles.WritableFile file) {
            this.file = file;
        }

        @Override
        public void write(int b) throws IOException {
            file.write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            file.write(b, off, len);
        }
    }
}
