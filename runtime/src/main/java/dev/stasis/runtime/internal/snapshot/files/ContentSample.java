package dev.stasis.runtime.internal.snapshot.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * A cheap fingerprint of a file's content: CRC32C over four samples of 4 KiB (start, two thirds
 * inside, end), or over the whole file when it is no larger than that. It costs the same for a
 * gigabyte as for a kilobyte, and together with size and modification time catches an input
 * replaced or rewritten between a checkpoint and a resume; an edit that keeps size and
 * modification time and misses every sample goes unnoticed.
 */
final class ContentSample {
    static final int SAMPLE_BYTES = 4096;
    static final int SAMPLES = 4;

    private ContentSample() {
    }

    static int of(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            CRC32C crc = new CRC32C();
            ByteBuffer buffer = ByteBuffer.allocate(SAMPLE_BYTES);
            if (size <= (long) SAMPLES * SAMPLE_BYTES) {
                for (long at = 0; at < size; at += SAMPLE_BYTES) {
                    update(crc, channel, buffer, at);
                }
            } else {
                long last = size - SAMPLE_BYTES;
                for (int i = 0; i < SAMPLES; i++) {
                    update(crc, channel, buffer, last * i / (SAMPLES - 1));
                }
            }
            return (int) crc.getValue();
        }
    }

    private static void update(CRC32C crc, FileChannel channel, ByteBuffer buffer, long at) throws IOException {
        buffer.clear();
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at + buffer.position());
            if (n < 0) {
                break;
            }
        }
        buffer.flip();
        crc.update(buffer);
    }
}
