package dev.stasis.runtime.internal.snapshot.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.stasis.runtime.internal.snapshot.files.FileCapture;
import dev.stasis.runtime.internal.snapshot.files.FileHandle;
import dev.stasis.runtime.internal.snapshot.files.FileReopenException;
import dev.stasis.runtime.internal.snapshot.files.FileReopening;
import dev.stasis.runtime.internal.snapshot.files.NotReopenableException;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;

/**
 * A {@code FileInputStream}, {@code FileOutputStream} or {@code RandomAccessFile} (exactly these
 * classes), written as the {@link FileHandle} that reopens it and read back through the read's
 * {@link FileReopening}. A descriptor that cannot be reopened refuses the checkpoint with its path.
 */
abstract class OpenFileSerializer<T> extends Serializer<T> {
    private final Class<T> type;

    private OpenFileSerializer(Class<T> type) {
        this.type = type;
    }

    abstract FileHandle capture(T file) throws NotReopenableException;

    abstract T reopen(FileReopening files, FileHandle handle) throws IOException;

    @Override
    public void write(Kryo kryo, Output output, T file) {
        if (file.getClass() != type) {
            throw CapturePathException.refuse(file, SnapshotKryo.isJdkClass(file.getClass())
                    ? "a JDK stream on a pipe or another descriptor that is not a plain file (e.g. a child process's"
                            + " stdin or stdout) cannot be saved: close it before the checkpoint and open it again after"
                    : "a subclass of " + type.getName() + " cannot be saved (Stasis reopens only the JDK's own file"
                            + " classes): close it before the checkpoint and open it again after");
        }
        FileHandle handle;
        try {
            handle = capture(file);
        } catch (NotReopenableException e) {
            throw CapturePathException.refuse(file, e.getMessage());
        }
        FileHandleCodec.write(output, handle);
    }

    @Override
    public T read(Kryo kryo, Input input, Class<? extends T> requested) {
        FileHandle handle = FileHandleCodec.read(input);
        return reopening(() -> reopen(SnapshotKryo.files(kryo), handle), handle.path());
    }

    interface Reopen<R> {
        R run() throws IOException;
    }

    /** Carries the reason a file cannot be reopened out of Kryo as the I/O failure it is. */
    static <R> R reopening(Reopen<R> reopen, String path) {
        try {
            return reopen.run();
        } catch (FileReopenException e) {
            throw new KryoException(e);
        } catch (IOException e) {
            throw new KryoException(FileReopenException.cannotOpen(path, e));
        }
    }

    static final class InputStreams extends OpenFileSerializer<FileInputStream> {
        InputStreams() {
            super(FileInputStream.class);
        }

        @Override
        FileHandle capture(FileInputStream file) throws NotReopenableException {
            return FileCapture.of(file);
        }

        @Override
        FileInputStream reopen(FileReopening files, FileHandle handle) throws IOException {
            return files.inputStream(handle);
        }
    }

    static final class OutputStreams extends OpenFileSerializer<FileOutputStream> {
        OutputStreams() {
            super(FileOutputStream.class);
        }

        @Override
        FileHandle capture(FileOutputStream file) throws NotReopenableException {
            return FileCapture.of(file);
        }

        @Override
        FileOutputStream reopen(FileReopening files, FileHandle handle) throws IOException {
            return files.outputStream(handle);
        }
    }

    static final class RandomAccessFiles extends OpenFileSerializer<RandomAccessFile> {
        RandomAccessFiles() {
            super(RandomAccessFile.class);
        }

        @Override
        FileHandle capture(RandomAccessFile file) throws NotReopenableException {
            return FileCapture.of(file);
        }

        @Override
        RandomAccessFile reopen(FileReopening files, FileHandle handle) throws IOException {
            return files.randomAccessFile(handle);
        }
    }
}
