package dev.stasis.runtime.internal.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * What one directory would hold after a power failure, given the operations done in it so far.
 *
 * <p>The model, deliberately pessimistic where POSIX promises nothing and realistic where file
 * systems agree:
 * <ul>
 *   <li>File data is durable up to the length it had at its last fsync. Bytes written after it
 *       may be lost, cut anywhere, or be there but garbled (random or zero) when the crash comes.</li>
 *   <li>Creates, renames and deletes are durable once the directory is fsynced. Those after the
 *       last directory fsync survive as a prefix, in the order they were made (as a journal
 *       replays them): any number of them, from none to all.</li>
 * </ul>
 */
final class PageCacheModel {
    /** A file's content: what is written, and how much of it an fsync made durable. */
    private static final class Inode {
        byte[] data = new byte[0];
        int length;
        int durable;

        void append(byte[] bytes, int offset, int count) {
            if (length + count > data.length) {
                data = Arrays.copyOf(data, Math.max(length + count, data.length * 2));
            }
            System.arraycopy(bytes, offset, data, length, count);
            length += count;
        }
    }

    /** A directory operation not yet made durable by a directory fsync. */
    private record Pending(Path from, Path to, Inode created) {
        void applyTo(Map<Path, Inode> entries) {
            if (created != null) {
                entries.put(to, created);
            } else if (to == null) {
                entries.remove(from);
            } else {
                Inode moved = entries.remove(from);
                if (moved != null) {
                    entries.put(to, moved);
                }
            }
        }
    }

    private final Path directory;
    private final Map<Path, Inode> current = new HashMap<>();
    private Map<Path, Inode> durable = new HashMap<>();
    private final List<Pending> pending = new ArrayList<>();

    /** Starts from what the directory holds now, all of it durable. */
    PageCacheModel(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
        if (Files.isDirectory(this.directory)) {
            for (Path file : regularFiles()) {
                Inode inode = new Inode();
                byte[] bytes = read(file);
                inode.append(bytes, 0, bytes.length);
                inode.durable = bytes.length;
                current.put(file, inode);
            }
        }
        durable = new HashMap<>(current);
    }

    void created(Path file) {
        Inode inode = new Inode();
        current.put(key(file), inode);
        pending.add(new Pending(null, key(file), inode));
    }

    void written(Path file, byte[] bytes, int offset, int count) {
        current.get(key(file)).append(bytes, offset, count);
    }

    void forced(Path file) {
        Inode inode = current.get(key(file));
        inode.durable = inode.length;
    }

    void renamed(Path from, Path to) {
        current.put(key(to), current.remove(key(from)));
        pending.add(new Pending(key(from), key(to), null));
    }

    void deleted(Path file) {
        if (current.remove(key(file)) != null) {
            pending.add(new Pending(key(file), null, null));
        }
    }

    void directorySynced() {
        durable = new HashMap<>(current);
        pending.clear();
    }

    /** Replaces the directory's content by one state a power failure could leave now, chosen by {@code random}. */
    void crash(Random random) {
        Map<Path, Inode> entries = new HashMap<>(durable);
        int survivors = random.nextInt(pending.size() + 1);
        for (Pending op : pending.subList(0, survivors)) {
            op.applyTo(entries);
        }
        for (Path file : regularFiles()) {
            delete(file);
        }
        for (Map.Entry<Path, Inode> entry : entries.entrySet()) {
            write(entry.getKey(), afterCrash(entry.getValue(), random));
        }
    }

    /** True if every directory operation and every file's data are durable. */
    boolean allDurable() {
        return pending.isEmpty() && current.values().stream().allMatch(inode -> inode.durable == inode.length);
    }

    private static byte[] afterCrash(Inode inode, Random random) {
        byte[] kept = Arrays.copyOf(inode.data, inode.length);
        int unsynced = inode.length - inode.durable;
        if (unsynced == 0) {
            return kept;
        }
        switch (random.nextInt(4)) {
            case 0: // nothing written since the fsync reached the disk
                return Arrays.copyOf(kept, inode.durable);
            case 1: // some of it, cut anywhere
                return Arrays.copyOf(kept, inode.durable + random.nextInt(unsynced));
            case 2: { // all of its length, but a stretch of it is garbage
                int from = inode.durable + random.nextInt(unsynced);
                int to = from + 1 + random.nextInt(inode.length - from);
                byte[] garbage = new byte[to - from];
                random.nextBytes(garbage);
                System.arraycopy(garbage, 0, kept, from, garbage.length);
                return kept;
            }
            default: // the size was updated, the data blocks were not: zeros
                Arrays.fill(kept, inode.durable, inode.length, (byte) 0);
                return kept;
        }
    }

    private Path key(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        if (!directory.equals(absolute.getParent())) {
            throw new IllegalArgumentException(file + " is not in the modelled directory " + directory);
        }
        return absolute;
    }

    private List<Path> regularFiles() {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
