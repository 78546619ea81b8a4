package dev.stasis.runtime.internal.store;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The snapshot directory: {@code snapshot-<id>.stasis} files (0600) in a 0700 directory, written
 * all or nothing (temp name, fsync, atomic rename, fsync of the directory), and
 * {@code finished-<runId>} markers for runs that ended in an orderly way.
 */
public final class SnapshotStore {

    /** Writes one snapshot's bytes; returns how many it wrote. */
    @FunctionalInterface
    public interface WriteAction {
        long write(OutputStream out) throws IOException;
    }

    private static final Pattern SNAPSHOT_NAME = Pattern.compile("snapshot-(\\d{1,18})\\.stasis");
    private static final Pattern TEMP_NAME = Pattern.compile("\\.(snapshot-\\d+\\.stasis|finished-.+|stasis-probe-.+)\\.tmp");
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    private static final int WRITE_BUFFER = 1 << 16;

    private final Path directory;
    private long lastIssuedId;

    private SnapshotStore(Path directory) {
        this.directory = directory;
    }

    /**
     * Opens (creating it 0700 if missing) and checks it is a writable directory; deletes temp
     * files a crashed writer left behind.
     */
    public static SnapshotStore open(Path directory) throws IOException {
        Path dir = directory.toAbsolutePath().normalize();
        if (Files.notExists(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY_MODE));
        }
        requireDirectory(dir);
        if (!isWritable(dir)) {
            throw new IOException("snapshot directory " + dir + " is not writable (" + describeOwnership(dir)
                    + "): choose another with dir=PATH");
        }
        SnapshotStore store = new SnapshotStore(dir);
        store.deleteStaleTempFiles();
        return store;
    }

    /** Opens an existing directory for reading only (CLI); never creates or deletes anything. */
    public static SnapshotStore openExisting(Path directory) throws IOException {
        Path dir = directory.toAbsolutePath().normalize();
        if (!Files.exists(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "snapshot directory does not exist: check dir=PATH");
        }
        requireDirectory(dir);
        return new SnapshotStore(dir);
    }

    public Path directory() {
        return directory;
    }

    /** A new id, greater than every id in the store and every id this store issued before. */
    public synchronized String newSnapshotId() {
        long highest = lastIssuedId;
        try {
            for (SnapshotFile f : list()) {
                highest = Math.max(highest, Long.parseLong(f.id()));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list snapshot directory " + directory + ": " + e.getMessage(), e);
        }
        lastIssuedId = highest + 1;
        return String.format("%06d", lastIssuedId);
    }

    /** Temp name, fsync, rename, fsync of the directory; on failure nothing is left behind. */
    public SnapshotFile commit(String id, WriteAction action) throws IOException {
        requireId(id);
        Path target = directory.resolve(fileName(id));
        Path temp = directory.resolve("." + fileName(id) + ".tmp");
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString(), null, "snapshot " + id + " already exists");
        }
        try {
            writeDurably(temp, action);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory();
        } catch (IOException | RuntimeException | Error e) {
            deleteQuietly(temp, e);
            throw e;
        }
        return describe(id, target);
    }

    /** Committed snapshots, newest first. */
    public List<SnapshotFile> list() throws IOException {
        List<SnapshotFile> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                Matcher m = SNAPSHOT_NAME.matcher(entry.getFileName().toString());
                if (m.matches() && Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
                    try {
                        files.add(describe(m.group(1), entry));
                    } catch (NoSuchFileException e) {
                        // pruned by someone else between listing and reading its attributes
                    }
                }
            }
        }
        files.sort(Comparator.comparingLong((SnapshotFile f) -> Long.parseLong(f.id())).reversed());
        return files;
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

    /** Deletes all but the newest {@code keep} snapshots. */
    public void prune(int keep) throws IOException {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1 (the newest snapshot is never deleted), was " + keep);
        }
        List<SnapshotFile> files = list();
        for (SnapshotFile old : files.subList(Math.min(keep, files.size()), files.size())) {
            Files.deleteIfExists(old.path());
        }
        syncDirectory();
    }

    public void markFinished(String runId) throws IOException {
        Path marker = directory.resolve(markerName(runId));
        Path temp = directory.resolve("." + markerName(runId) + ".tmp");
        try {
            writeDurably(temp, out -> {
                byte[] text = (runId + "\n").getBytes(StandardCharsets.UTF_8);
                out.write(text);
                return text.length;
            });
            Files.move(temp, marker, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory();
        } catch (IOException | RuntimeException | Error e) {
            deleteQuietly(temp, e);
            throw e;
        }
    }

    public boolean isFinished(String runId) throws IOException {
        return Files.exists(directory.resolve(markerName(runId)));
    }

    private void writeDurably(Path temp, WriteAction action) throws IOException {
        FileAttribute<Set<PosixFilePermission>> mode = PosixFilePermissions.asFileAttribute(FILE_MODE);
        try (FileChannel channel = FileChannel.open(temp, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), mode)) {
            OutputStream out = new UnclosableStream(Channels.newOutputStream(channel), WRITE_BUFFER);
            action.write(out);
            out.flush();
            channel.force(true);
        }
    }

    /** Makes the rename durable: without this a crash can forget it (ALICE, OSDI'14). */
    private void syncDirectory() throws IOException {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    private void deleteStaleTempFiles() throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                if (TEMP_NAME.matcher(entry.getFileName().toString()).matches()) {
                    Files.deleteIfExists(entry);
                }
            }
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
    private static boolean isWritable(Path dir) {
        if (!Files.isWritable(dir)) {
            return false;
        }
        try {
            Path probe = Files.createTempFile(dir, ".stasis-probe-", ".tmp");
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

    private static void deleteQuietly(Path temp, Throwable failure) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    /** The action may close its stream; the channel must stay open until it is forced. */
    private static final class UnclosableStream extends FilterOutputStream {
        UnclosableStream(OutputStream out, int buffer) {
            super(new BufferedOutputStream(out, buffer));
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
