package dev.stasis.runtime.internal.snapshot;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a snapshot file front to back, knowing the offset of every byte, so errors can name it. */
final class PositionedInput implements Closeable {
    private final Path file;
    private final InputStream in;
    private long position;

    PositionedInput(Path file) throws IOException {
        this.file = file;
        this.in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    }

    Path file() {
        return file;
    }

    long position() {
        return position;
    }

    void readFully(byte[] buffer, int offset, int length, String what) throws IOException {
        long start = position;
        while (length > 0) {
            int n = in.read(buffer, offset, length);
            if (n < 0) {
                throw SnapshotFormatException.at(file, position,
                        "file is truncated: it ends inside " + what + " that starts at offset " + start);
            }
            position += n;
            offset += n;
            length -= n;
        }
    }

    int readInt(String what) throws IOException {
        byte[] b = new byte[4];
        readFully(b, 0, 4, what);
        return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    }

    long readLong(String what) throws IOException {
        long high = readInt(what) & 0xFFFFFFFFL;
        long low = readInt(what) & 0xFFFFFFFFL;
        return (high << 32) | low;
    }

    boolean atEnd() throws IOException {
        return in.read() < 0;
    }

    SnapshotFormatException corrupt(long offset, String problem) {
        return SnapshotFormatException.at(file, offset, problem);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
