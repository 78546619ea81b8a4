package dev.stasis.runtime.internal.snapshot.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Reads, at a checkpoint, what the kernel knows of an open descriptor through {@code /proc/self}:
 * the file it is open on ({@code fd/N}), its offset and open flags ({@code fdinfo/N}). That also
 * tells what cannot be reopened after a relaunch: a file deleted or replaced while open, a pipe, a
 * socket, a device, a {@code /proc} or {@code /sys} file.
 */
final class DescriptorProbe {
    private static final Path FD_DIR = Path.of("/proc/self/fd");
    private static final Path FDINFO_DIR = Path.of("/proc/self/fdinfo");
    private static final List<String> PSEUDO_FILE_SYSTEMS = List.of("/proc/", "/sys/", "/dev/");
    // Linux open(2) flags as fdinfo prints them (octal); the same on every architecture the JDK runs on.
    private static final int O_ACCMODE = 03;
    private static final int O_WRONLY = 01;
    private static final int O_RDWR = 02;
    private static final int O_APPEND = 02000;
    private static final int O_DSYNC = 010000;
    private static final int O_SYNC = 04010000;
    private static final String WHAT_TO_DO = ": close it before the checkpoint and open it again after"
            + " (e.g. in an org.crac Resource's beforeCheckpoint/afterRestore)";

    private DescriptorProbe() {
    }

    /**
     * @param fd   the native descriptor of an open stream or channel
     * @param path the path the program opened it with, or null when it was made from a raw {@code FileDescriptor}
     */
    static FileHandle probe(int fd, String path) throws NotReopenableException {
        if (path == null && fd >= 0 && fd <= 2) {
            throw new NotReopenableException(rawDescriptor(fd) + ", not opened by path: Stasis does not save streams on"
                    + " the standard descriptors; keep no stream on them (System.in/out/err or one wrapping them) in"
                    + " a field or local a snapshot reaches, and use System.out/err/in where they are needed");
        }
        if (path == null) {
            throw new NotReopenableException(rawDescriptor(fd) + ", not opened by path: Stasis cannot tell how to open"
                    + " it again" + WHAT_TO_DO);
        }
        if (!Files.isDirectory(FDINFO_DIR)) {
            throw new NotReopenableException("open files are saved only where /proc/self/fdinfo exists (Linux), and it"
                    + " does not here" + WHAT_TO_DO);
        }
        Path link = FD_DIR.resolve(Integer.toString(fd));
        String target = target(link, path);
        Path named = Path.of(path).toAbsolutePath();
        if (target.endsWith(" (deleted)")) {
            throw new NotReopenableException("the file " + named + " was deleted or replaced while open, so it cannot be opened"
                    + " again after a relaunch" + WHAT_TO_DO);
        }
        if (!target.startsWith("/")) {
            throw new NotReopenableException(named + " is open on " + target + ", not on a file" + WHAT_TO_DO);
        }
        for (String pseudo : PSEUDO_FILE_SYSTEMS) {
            if (target.startsWith(pseudo)) {
                throw new NotReopenableException(named + " is open on " + target + ", a device or kernel file whose"
                        + " content and position do not survive a relaunch" + WHAT_TO_DO);
            }
        }
        BasicFileAttributes openFile = attributes(link, named);
        if (!openFile.isRegularFile()) {
            throw new NotReopenableException(named + " is open on " + target + ", which is not a regular file (a FIFO,"
                    + " a device, a directory)" + WHAT_TO_DO);
        }
        checkPathNamesOpenFile(named, target, openFile);
        long[] info = fdinfo(fd, named);
        int access = access((int) info[1]);
        long modified = openFile.lastModifiedTime().to(TimeUnit.NANOSECONDS);
        int sample = (access & FileHandle.WRITE) != 0 ? 0 : sample(named);
        return new FileHandle(true, named.toString(), access, info[0], openFile.size(), modified, sample);
    }

    private static String rawDescriptor(int fd) {
        return switch (fd) {
            case 0 -> "it is a stream on standard input (FileDescriptor.in)";
            case 1 -> "it is a stream on standard output (FileDescriptor.out)";
            case 2 -> "it is a stream on standard error (FileDescriptor.err)";
            default -> "it is a stream on the raw descriptor " + fd;
        };
    }

    private static String target(Path link, String path) throws NotReopenableException {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException | RuntimeException e) {
            throw new NotReopenableException("the descriptor of " + path + " cannot be looked up in /proc (" + e + ")"
                    + WHAT_TO_DO);
        }
    }

    private static BasicFileAttributes attributes(Path link, Path named) throws NotReopenableException {
        try {
            return Files.readAttributes(link, BasicFileAttributes.class);
        } catch (IOException e) {
            throw new NotReopenableException("the open file " + named + " cannot be examined (" + e + ")" + WHAT_TO_DO);
        }
    }

    /** The path must lead to the very file that is open, or a relaunch would open another one. */
    private static void checkPathNamesOpenFile(Path named, String target, BasicFileAttributes openFile)
            throws NotReopenableException {
        BasicFileAttributes atPath;
        try {
            atPath = Files.readAttributes(named, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new NotReopenableException(named + " was moved or deleted while open (the descriptor is open on "
                    + target + "), so it cannot be opened again after a relaunch" + WHAT_TO_DO);
        } catch (IOException e) {
            throw new NotReopenableException(named + " cannot be examined (" + e + ")" + WHAT_TO_DO);
        }
        if (openFile.fileKey() != null && !Objects.equals(openFile.fileKey(), atPath.fileKey())) {
            throw new NotReopenableException(named + " now names another file than the one open (" + target
                    + "): it was replaced or moved while open" + WHAT_TO_DO);
        }
    }

    /** {offset, flags} from {@code /proc/self/fdinfo/N}. */
    private static long[] fdinfo(int fd, Path named) throws NotReopenableException {
        Long pos = null;
        Integer flags = null;
        try {
            for (String line : Files.readAllLines(FDINFO_DIR.resolve(Integer.toString(fd)))) {
                if (line.startsWith("pos:")) {
                    pos = Long.parseLong(line.substring(4).trim());
                } else if (line.startsWith("flags:")) {
                    flags = Integer.parseInt(line.substring(6).trim(), 8);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new NotReopenableException("the descriptor of " + named + " cannot be read in /proc (" + e + ")"
                    + WHAT_TO_DO);
        }
        if (pos == null || flags == null) {
            throw new NotReopenableException("/proc/self/fdinfo/" + fd + " does not give the position and flags of "
                    + named + WHAT_TO_DO);
        }
        return new long[] {pos, flags};
    }

    static int access(int flags) {
        int mode = flags & O_ACCMODE;
        int access = mode == O_RDWR ? FileHandle.READ | FileHandle.WRITE : mode == O_WRONLY ? FileHandle.WRITE : FileHandle.READ;
        if ((flags & O_APPEND) != 0) {
            access |= FileHandle.APPEND;
        }
        if ((flags & O_SYNC) == O_SYNC) {
            access |= FileHandle.SYNC;
        } else if ((flags & O_DSYNC) != 0) {
            access |= FileHandle.DSYNC;
        }
        return access;
    }

    private static int sample(Path named) throws NotReopenableException {
        try {
            return ContentSample.of(named);
        } catch (IOException e) {
            throw new NotReopenableException("the input file " + named + " cannot be read to fingerprint it (" + e + ")"
                    + WHAT_TO_DO);
        }
    }
}
