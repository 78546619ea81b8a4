package dev.stasis.runtime.internal.snapshot.files;

/**
 * An open (or closed) file as a snapshot holds it: what reopens it after a relaunch, and what tells
 * whether the file is still the one the program had open.
 *
 * @param open          false for a stream or channel that was closed; then only {@code path} is kept
 * @param path          the absolute path the program opened (null only for a closed stream on a raw descriptor)
 * @param access        {@link #READ}, {@link #WRITE}, {@link #APPEND}, {@link #SYNC}, {@link #DSYNC} bits
 * @param position      the descriptor's offset at the checkpoint
 * @param length        the file's size at the checkpoint; an output file is cut back to it on resume
 * @param modifiedNanos the file's modification time at the checkpoint (nanoseconds since the epoch)
 * @param sampleHash    CRC32C over fixed-size samples of an input file's content ({@link ContentSample}); 0 for output files
 */
public record FileHandle(boolean open, String path, int access, long position, long length, long modifiedNanos,
                         int sampleHash) {
    public static final int READ = 1;
    public static final int WRITE = 2;
    public static final int APPEND = 4;
    public static final int SYNC = 8;
    public static final int DSYNC = 16;
    private static final int ALL = READ | WRITE | APPEND | SYNC | DSYNC;

    /** A stream or channel that was closed at the checkpoint, and comes back closed. */
    public static FileHandle closed(String path) {
        return new FileHandle(false, path, 0, 0, 0, 0, 0);
    }

    public boolean readable() {
        return (access & READ) != 0;
    }

    public boolean writable() {
        return (access & WRITE) != 0;
    }

    public boolean append() {
        return (access & APPEND) != 0;
    }

    /** True when {@code access} holds only bits this version knows, and at least one of read and write. */
    public static boolean isValidAccess(int access) {
        return (access & ~ALL) == 0 && (access & (READ | WRITE)) != 0;
    }

    /** {@code read}, {@code write}, {@code read+write}, with {@code +append}, {@code +sync}, {@code +dsync}. */
    public String accessText() {
        StringBuilder s = new StringBuilder(readable() && writable() ? "read+write" : readable() ? "read" : "write");
        if (append()) {
            s.append("+append");
        }
        if ((access & SYNC) != 0) {
            s.append("+sync");
        }
        if ((access & DSYNC) != 0) {
            s.append("+dsync");
        }
        return s.toString();
    }
}
