package dev.stasis.runtime.internal.snapshot.files;

import java.io.Closeable;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Rebuilds the open files of one snapshot read, in two steps. While the graph is read, each file
 * is opened at its saved position, nothing written (a missing file, or an output file shorter than
 * it was, stops the read at once). Only when the whole graph was read does {@link #commit} check
 * the input files against their fingerprints and then cut every output file back to its length at
 * the checkpoint, dropping what the killed run wrote after it. A read that fails on the way closes
 * what it opened ({@link #abandon}) and has changed no file.
 */
public final class FileReopening {
    private static final Path NULL_DEVICE = Path.of("/dev/null");
    private static final String PUT_BACK = "Put the file back as it was at the checkpoint.";

    private final OpenFiles mode;
    private final PrintStream warnings;
    private final List<FileHandle> handles = new ArrayList<>();
    private final List<Closeable> opened = new ArrayList<>();

    public FileReopening(OpenFiles mode, PrintStream warnings) {
        this.mode = mode;
        this.warnings = warnings;
    }

    public FileInputStream inputStream(FileHandle handle) throws IOException {
        if (leaveClosed(handle)) {
            FileInputStream closed = new FileInputStream(NULL_DEVICE.toFile());
            closed.close();
            JdkFileFields.setPath(closed, handle.path());
            return closed;
        }
        check(handle);
        FileInputStream in = new FileInputStream(handle.path());
        opened(handle, in);
        long skipped = 0;
        while (skipped < handle.position()) {
            long step = in.skip(handle.position() - skipped);
            if (step <= 0) {
                throw new IOException("cannot move to position " + handle.position() + " (stopped at " + skipped + ")");
            }
            skipped += step;
        }
        return in;
    }

    public FileOutputStream outputStream(FileHandle handle) throws IOException {
        if (leaveClosed(handle)) {
            FileOutputStream closed = new FileOutputStream(NULL_DEVICE.toFile());
            closed.close();
            JdkFileFields.setPath(closed, handle.path());
            return closed;
        }
        check(handle);
        if (handle.append()) {
            FileOutputStream out = new FileOutputStream(handle.path(), true);
            opened(handle, out);
            return out;
        }
        // new FileOutputStream(path) would empty the file: open it without truncating and hand the descriptor over.
        RandomAccessFile file = new RandomAccessFile(handle.path(), "rw");
        opened(handle, file);
        file.seek(handle.position());
        FileOutputStream out = new FileOutputStream(file.getFD());
        JdkFileFields.setPath(out, handle.path());
        return out;
    }

    public RandomAccessFile randomAccessFile(FileHandle handle) throws IOException {
        String mode = !handle.writable() ? "r" : (handle.access() & FileHandle.SYNC) != 0 ? "rws"
                : (handle.access() & FileHandle.DSYNC) != 0 ? "rwd" : "rw";
        if (leaveClosed(handle)) {
            RandomAccessFile closed = new RandomAccessFile(NULL_DEVICE.toFile(), mode);
            closed.close();
            JdkFileFields.setPath(closed, handle.path());
            return closed;
        }
        check(handle);
        RandomAccessFile file = new RandomAccessFile(handle.path(), mode);
        opened(handle, file);
        file.seek(handle.position());
        return file;
    }

    public FileChannel channel(FileHandle handle) throws IOException {
        if (leaveClosed(handle)) {
            FileChannel closed = FileChannel.open(NULL_DEVICE, StandardOpenOption.READ);
            closed.close();
            JdkFileFields.setChannelPath(closed, handle.path());
            return closed;
        }
        check(handle);
        FileChannel channel = FileChannel.open(Path.of(handle.path()), options(handle));
        opened(handle, channel);
        if (!handle.append()) {
            channel.position(handle.position());
        }
        return channel;
    }

    /**
     * Checks every input file, then cuts every output file back to its length at the checkpoint.
     * An input also open for writing is not checked: the program's own writes change it, and the cut
     * restores it. On a refusal nothing has been cut and everything opened is closed again.
     */
    public void commit() throws IOException {
        try {
            Set<String> written = new HashSet<>();
            for (FileHandle handle : handles) {
                if (handle.writable()) {
                    written.add(handle.path());
                }
            }
            checkInputs(written);
            Map<String, Long> lengths = new LinkedHashMap<>();
            for (FileHandle handle : handles) {
                if (handle.writable()) {
                    lengths.merge(handle.path(), handle.length(), Math::min);
                }
            }
            for (Map.Entry<String, Long> cut : lengths.entrySet()) {
                try (FileChannel channel = FileChannel.open(Path.of(cut.getKey()), StandardOpenOption.WRITE)) {
                    channel.truncate(cut.getValue());
                }
            }
        } catch (IOException | RuntimeException e) {
            abandon();
            throw e;
        }
    }

    /** The read failed: close every file opened for it. No file was changed. */
    public void abandon() {
        for (Closeable c : opened) {
            try {
                c.close();
            } catch (IOException e) {
                // Closing a file only opened for reading or not yet written cannot lose anything.
            }
        }
        opened.clear();
    }

    private boolean leaveClosed(FileHandle handle) {
        return !handle.open() || mode == OpenFiles.LEAVE_CLOSED;
    }

    private void opened(FileHandle handle, Closeable resource) {
        handles.add(handle);
        opened.add(resource);
    }

    private static void check(FileHandle handle) throws FileReopenException {
        Path path = Path.of(handle.path());
        BasicFileAttributes now;
        try {
            now = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (IOException e) {
            throw new FileReopenException("the file " + path + " is missing or unreadable (" + e.getMessage() + "); the"
                    + " snapshot had it open for " + handle.accessText() + " at position " + handle.position() + ", "
                    + handle.length() + " bytes long", PUT_BACK);
        }
        if (!now.isRegularFile()) {
            throw new FileReopenException("the file " + path + " is no longer a regular file; the snapshot had it open for "
                    + handle.accessText(), PUT_BACK);
        }
        if (handle.writable() && now.size() < handle.length()) {
            throw new FileReopenException("the output file " + path + " is shorter than at the checkpoint (" + now.size()
                    + " bytes now, " + handle.length() + " then): what the program wrote before the checkpoint is gone",
                    PUT_BACK);
        }
    }

    private void checkInputs(Set<String> written) throws IOException {
        Set<String> checked = new HashSet<>();
        for (FileHandle handle : handles) {
            if (handle.writable() || written.contains(handle.path()) || !checked.add(handle.path())) {
                continue;
            }
            String changes = changes(handle);
            if (changes.isEmpty()) {
                continue;
            }
            String problem = "the input file " + handle.path() + " changed since the checkpoint: " + changes;
            if (mode == OpenFiles.REOPEN) {
                throw new FileReopenException(problem, "Put back the file as it was, or resume anyway with the agent"
                        + " option changedInputs=accept (the program then reads the file as it is now, from position "
                        + handle.position() + ").");
            }
            warnings.println("stasis: " + problem + "; resuming anyway (changedInputs=accept), reading it from position "
                    + handle.position());
        }
    }

    private static String changes(FileHandle handle) throws IOException {
        Path path = Path.of(handle.path());
        BasicFileAttributes now = Files.readAttributes(path, BasicFileAttributes.class);
        List<String> changes = new ArrayList<>();
        if (now.size() != handle.length()) {
            changes.add("size " + handle.length() + " -> " + now.size() + " bytes");
        }
        long modified = now.lastModifiedTime().to(TimeUnit.NANOSECONDS);
        if (modified != handle.modifiedNanos()) {
            changes.add("modified " + instant(handle.modifiedNanos()) + " -> " + instant(modified));
        }
        if (ContentSample.of(path) != handle.sampleHash()) {
            changes.add("sampled content differs");
        }
        return String.join(", ", changes);
    }

    private static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    private static OpenOption[] options(FileHandle handle) {
        List<OpenOption> options = new ArrayList<>();
        if (handle.readable() && !handle.append()) {
            // The JDK opens no file for read and append at once; such a descriptor came from elsewhere.
            options.add(StandardOpenOption.READ);
        }
        if (handle.writable()) {
            options.add(StandardOpenOption.WRITE);
        }
        if (handle.append()) {
            options.add(StandardOpenOption.APPEND);
        }
        if ((handle.access() & FileHandle.SYNC) != 0) {
            options.add(StandardOpenOption.SYNC);
        }
        if ((handle.access() & FileHandle.DSYNC) != 0) {
            options.add(StandardOpenOption.DSYNC);
        }
        return options.toArray(OpenOption[]::new);
    }
}
