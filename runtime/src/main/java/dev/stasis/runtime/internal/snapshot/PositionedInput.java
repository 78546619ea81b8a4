package dev.stasis.runtime.internal.snapshot;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import javax.crypto.Mac;

/**
 * Reads a snapshot file front to back, knowing the offset of every byte, so errors can name it,
 * and feeding every byte it reads to the snapshot's HMAC when there is one.
 */
final class PositionedInput {
    private final Path file;
    private final InputStream in;
    private long position;
    private Mac mac;

    /** Reads {@code channel} from {@code start}; never closes it (a snapshot is read twice through one channel). */
    PositionedInput(Path file, FileChannel channel, long start) throws IOException {
        this.file = file;
        channel.position(start);
        this.in = new BufferedInputStream(Channels.newInputStream(channel), 1 << 16);
        this.position = start;
    }

    Path file() {
        return file;
    }

    long position() {
        return position;
    }

    /** From now on every byte read is also fed to {@code mac}. */
    void authenticateWith(Mac mac) {
        this.mac = mac;
    }

    /** The HMAC of everything read since {@link #authenticateWith}; later bytes are not fed to it. */
    byte[] finishMac() {
        byte[] value = mac.doFinal();
        mac = null;
        return value;
    }

    void readFully(byte[] buffer, int offset, int length, String what) throws IOException {
        long start = position;
        int from = offset;
        int left = length;
        while (left > 0) {
            int n = in.read(buffer, from, left);
            if (n < 0) {
                throw SnapshotFormatException.at(file, position,
                        "file is truncated: it ends inside " + what + " that starts at offset " + start);
            }
            position += n;
            from += n;
            left -= n;
        }
        if (mac != null) {
            mac.update(buffer, offset, length);
        }
    }

    int readInt(String what) throws IOException {
        byte[] b = new byte[4];
        readFully(b, 0, 4, what);
        return Bytes.getInt(b, 0);
    }

    byte readByte(String what) throws IOException {
        byte[] b = new byte[1];
        readFully(b, 0, 1, what);
        return b[0];
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
}
