package dev.stasis.runtime.internal.store;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The file operations the store's commit protocol is made of: create, write, fsync, rename,
 * delete, fsync of the directory. Each is one system call's worth of effect, so a test can put a
 * layer here that fails any of them or "crashes" between any two (dropping what was not fsynced);
 * production uses {@link #nio()}. Reading, listing and file attributes are not part of the
 * protocol and go to the file system directly.
 */
public interface SnapshotFiles {

    /** The real file system. */
    static SnapshotFiles nio() {
        return NioSnapshotFiles.INSTANCE;
    }

    /** Creates {@code file}, which must not exist yet, readable and writable by the owner only (0600). */
    WritableFile createNew(Path file) throws IOException;

    /** rename(2): atomic, and it replaces {@code to} if that exists. Durable only after {@link #syncDirectory}. */
    void rename(Path from, Path to) throws IOException;

    /** Deletes {@code file} if it exists; durable only after {@link #syncDirectory}. */
    void delete(Path file) throws IOException;

    /** fsync of the directory: the creates, renames and deletes in it so far survive a crash. */
    void syncDirectory(Path directory) throws IOException;

    /** A file being written from its start; what is written sits in the page cache until {@link #force}. */
    interface WritableFile extends Closeable {
        void write(byte[] bytes, int offset, int length) throws IOException;

        /** fsync: everything written so far survives a crash once this returns. */
        void force() throws IOException;
    }
}
