package dev.stasis.runtime.internal.snapshot;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.stasis.runtime.internal.snapshot.SnapshotFormatException.Kind;
import dev.stasis.runtime.internal.snapshot.kryo.BoundedInput;
import dev.stasis.runtime.internal.snapshot.kryo.CapturePathException;
import dev.stasis.runtime.internal.snapshot.kryo.OtherJdkException;
import dev.stasis.runtime.internal.snapshot.kryo.RefusedReadException;
import dev.stasis.runtime.internal.snapshot.files.FileReopening;
import dev.stasis.runtime.internal.snapshot.kryo.SnapshotKryoFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Reads and writes snapshot files (layout: docs/FORMAT.md). Everything streams: neither the
 * graph nor the file is ever held in memory as a whole.
 *
 * <p>A read checks the whole file first (header, manifest, every block's CRC32C, trailer, class
 * list, and the HMAC when a key is configured) and only then deserializes, with a Kryo that
 * resolves nothing outside the snapshot's class list and bounds depth, lengths and counts.
 */
public final class SnapshotCodec {
    private static final int STREAM_BUFFER = 1 << 16;

    private SnapshotCodec() {
    }

    /** {@link #write(OutputStream, Manifest, SnapshotContent, WriteOptions)} with the defaults: uncompressed, unsigned. */
    public static long write(OutputStream out, Manifest manifest, SnapshotContent content) throws IOException {
        return write(out, manifest, content, WriteOptions.defaults());
    }

    /**
     * Writes a complete snapshot (header, manifest, Kryo graph of the content in data blocks,
     * trailer with the class list, HMAC when {@code options} has a key). Does not close {@code out}.
     *
     * @return bytes written
     * @throws UncapturableObjectException if the content holds an object that cannot be saved
     */
    public static long write(OutputStream out, Manifest manifest, SnapshotContent content, WriteOptions options)
            throws IOException {
        return SnapshotFileWriter.write(out, manifest, options, blocks -> writeGraph(blocks, content, options));
    }

    /** {@link #readManifest(Path, ReadOptions)} for unsigned snapshots with the default bounds. */
    public static Manifest readManifest(Path file) throws IOException {
        return readManifest(file, ReadOptions.defaults());
    }

    /**
     * Checks everything but the objects themselves and returns the manifest; resolves no application class.
     *
     * @throws SnapshotFormatException when the file is damaged, of another format, or not signed as {@code options} require
     */
    public static Manifest readManifest(Path file, ReadOptions options) throws IOException {
        try (SnapshotFileReader reader = SnapshotFileReader.open(file, options)) {
            return reader.check().snapshot().manifest();
        }
    }

    /**
     * Everything a restore checks before it rebuilds objects, including that every block decompresses:
     * for {@code verify} and {@code inspect}.
     */
    public static VerifiedSnapshot verify(Path file, ReadOptions options) throws IOException {
        try (SnapshotFileReader reader = SnapshotFileReader.open(file, options)) {
            SnapshotFileReader.Checked checked = reader.check();
            reader.readPayload(checked, (blocks, c) -> {
                blocks.skipToEnd();
                return null;
            });
            return checked.snapshot();
        }
    }

    /** {@link #readContent(Path, ClassLoader, ReadOptions)} for unsigned snapshots with the default bounds. */
    public static SnapshotContent readContent(Path file, ClassLoader loader) throws IOException {
        return readContent(file, loader, ReadOptions.defaults());
    }

    /**
     * Checks the whole file, then reads the content graph, resolving classes through {@code loader},
     * and only those on the snapshot's class list.
     */
    public static SnapshotContent readContent(Path file, ClassLoader loader, ReadOptions options) throws IOException {
        try (SnapshotFileReader reader = SnapshotFileReader.open(file, options)) {
            SnapshotFileReader.Checked checked = reader.check();
            return reader.readPayload(checked, (blocks, c) -> readGraph(file, blocks, c, loader, options));
        }
    }

    private static List<String> writeGraph(OutputStream blocks, SnapshotContent content, WriteOptions options)
            throws IOException {
        Kryo kryo = SnapshotKryoFactory.forWriting(SnapshotCodec.class.getClassLoader(), options.maxDepth());
        Output output = new Output(blocks, STREAM_BUFFER);
        try {
            kryo.writeObject(output, content);
            output.flush();
        } catch (CapturePathException e) {
            throw new UncapturableObjectException(e.describe(), e);
        } catch (KryoException e) {
            throw ioCause(e).orElseThrow(() -> new UncapturableObjectException("cannot snapshot: " + e.getMessage(), e));
        } catch (StackOverflowError e) {
            throw new UncapturableObjectException("cannot snapshot: the object graph is nested too deeply for the stack of"
                    + " thread " + Thread.currentThread().getName() + ": write snapshots on a thread with a larger stack", e);
        }
        return SnapshotKryoFactory.classNames(kryo);
    }

    private static SnapshotContent readGraph(Path file, BlockInputStream blocks, SnapshotFileReader.Checked checked,
                                             ClassLoader loader, ReadOptions options) throws IOException {
        VerifiedSnapshot snapshot = checked.snapshot();
        long payload = snapshot.payloadBytes();
        Kryo kryo = SnapshotKryoFactory.forReading(loader, snapshot.classNames(), options.maxDepth(),
                Math.min(options.maxObjects(), payload), options.openFiles());
        FileReopening files = SnapshotKryoFactory.reopenedFiles(kryo);
        try {
            SnapshotContent content = readObjects(file, blocks, kryo, payload);
            files.commit();
            return content;
        } catch (IOException | RuntimeException | Error e) {
            files.abandon();
            throw e;
        }
    }

    private static SnapshotContent readObjects(Path file, BlockInputStream blocks, Kryo kryo, long payload)
            throws IOException {
        Input input = new BoundedInput(blocks, STREAM_BUFFER, payload);
        SnapshotContent content;
        try {
            content = kryo.readObject(input, SnapshotContent.class);
        } catch (RuntimeException e) {
            IOException io = ioCause(e).orElse(null);
            if (io != null) {
                throw io;
            }
            OtherJdkException otherJdk = causeOf(e, OtherJdkException.class);
            if (otherJdk != null) {
                throw SnapshotFormatException.of(Kind.OTHER_JDK, file, blocks.fileOffsetOf(input.total()),
                        otherJdk.reason());
            }
            RefusedReadException refused = refusal(e);
            if (refused != null) {
                throw SnapshotFormatException.of(Kind.REFUSED, file, blocks.fileOffsetOf(input.total()),
                        "refused at data byte " + input.total() + ": " + refused.reason());
            }
            throw SnapshotFormatException.at(file, blocks.fileOffsetOf(input.total()),
                    "cannot rebuild the saved objects (data byte " + input.total() + "): " + e.getMessage());
        } catch (StackOverflowError e) {
            throw SnapshotFormatException.of(Kind.REFUSED, file, blocks.fileOffsetOf(input.total()),
                    "the object graph is nested too deeply for the stack of thread " + Thread.currentThread().getName()
                            + ": read snapshots on a thread with a larger stack");
        }
        long graphBytes = input.total();
        blocks.skipToEnd();
        if (graphBytes != blocks.rawBytes()) {
            throw SnapshotFormatException.at(file, blocks.fileOffsetOf(graphBytes),
                    (blocks.rawBytes() - graphBytes) + " unexpected data bytes after the object graph");
        }
        return content;
    }

    private static <T extends Throwable> T causeOf(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    private static RefusedReadException refusal(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof RefusedReadException refused) {
                return refused;
            }
        }
        return null;
    }

    private static Optional<IOException> ioCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof IOException io) {
                return Optional.of(io);
            }
        }
        return Optional.empty();
    }
}
