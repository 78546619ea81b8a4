package dev.stasis.runtime.internal.snapshot.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.stasis.runtime.internal.snapshot.files.FileCapture;
import dev.stasis.runtime.internal.snapshot.files.FileHandle;
import dev.stasis.runtime.internal.snapshot.files.NotReopenableException;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;

/**
 * A JDK file channel. One that a stream or {@code RandomAccessFile} made with {@code getChannel()}
 * shares that owner's descriptor: it is written as its owner (a reference when the owner is saved
 * elsewhere too) and read back as the rebuilt owner's {@code getChannel()}, so the two share one
 * descriptor again. One of {@code FileChannel.open} is written as its {@link FileHandle}.
 */
final class FileChannelSerializer extends Serializer<FileChannel> {
    @Override
    public void write(Kryo kryo, Output output, FileChannel channel) {
        try {
            Object owner = FileCapture.ownerOf(channel);
            output.writeBoolean(owner != null);
            if (owner != null) {
                kryo.writeClassAndObject(output, owner);
            } else {
                FileHandleCodec.write(output, FileCapture.of(channel));
            }
        } catch (NotReopenableException e) {
            throw CapturePathException.refuse(channel, e.getMessage());
        }
    }

    @Override
    public FileChannel read(Kryo kryo, Input input, Class<? extends FileChannel> type) {
        if (!input.readBoolean()) {
            FileHandle handle = FileHandleCodec.read(input);
            return OpenFileSerializer.reopening(() -> SnapshotKryo.files(kryo).channel(handle), handle.path());
        }
        Object owner = kryo.readClassAndObject(input);
        if (owner instanceof FileInputStream in) {
            return in.getChannel();
        }
        if (owner instanceof FileOutputStream out) {
            return out.getChannel();
        }
        if (owner instanceof RandomAccessFile file) {
            return file.getChannel();
        }
        throw new RefusedReadException("a file channel owned by a " + (owner == null ? "null" : owner.getClass().getName())
                + ", which has no file channel");
    }
}
