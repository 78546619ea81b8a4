package dev.stasis.runtime.internal.snapshot.files;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * What a checkpoint writes for an open file: the {@link FileHandle} of a stream, a
 * {@code RandomAccessFile} or a channel, or the reason it cannot be reopened after a relaunch.
 */
public final class FileCapture {
    private FileCapture() {
    }

    public static FileHandle of(FileInputStream stream) throws NotReopenableException {
        return ofStream(stream, descriptorOf(stream));
    }

    public static FileHandle of(FileOutputStream stream) throws NotReopenableException {
        return ofStream(stream, descriptorOf(stream));
    }

    public static FileHandle of(RandomAccessFile file) throws NotReopenableException {
        return ofStream(file, descriptorOf(file));
    }

    /**
     * The stream or {@code RandomAccessFile} whose {@code getChannel()} made {@code channel} (the
     * two share one descriptor, so a resume rebuilds the owner and asks it for its channel), or null
     * for a channel of {@code FileChannel.open}.
     */
    public static Object ownerOf(FileChannel channel) throws NotReopenableException {
        checkPlainFileChannel(channel);
        return JdkFileFields.channelParent(channel);
    }

    /** The handle of a channel that {@code FileChannel.open} made ({@link #ownerOf} is null). */
    public static FileHandle of(FileChannel channel) throws NotReopenableException {
        checkPlainFileChannel(channel);
        String path = JdkFileFields.channelPath(channel);
        if (!channel.isOpen()) {
            return FileHandle.closed(absolute(path));
        }
        FileDescriptor fd = JdkFileFields.channelDescriptor(channel);
        return DescriptorProbe.probe(JdkFileFields.descriptor(fd), path);
    }

    private static void checkPlainFileChannel(FileChannel channel) throws NotReopenableException {
        if (!channel.getClass().getName().equals(JdkFileFields.FILE_CHANNEL_CLASS)) {
            throw new NotReopenableException("a FileChannel of class " + channel.getClass().getName() + " (not the JDK's"
                    + " own file channel, e.g. one of a zip or in-memory file system) cannot be saved: close it before"
                    + " the checkpoint and open it again after");
        }
    }

    private static FileHandle ofStream(Object stream, FileDescriptor fd) throws NotReopenableException {
        String path = JdkFileFields.path(stream);
        if (!fd.valid()) {
            return FileHandle.closed(absolute(path));
        }
        return DescriptorProbe.probe(JdkFileFields.descriptor(fd), path);
    }

    private static String absolute(String path) {
        return path == null ? null : Path.of(path).toAbsolutePath().toString();
    }

    private static FileDescriptor descriptorOf(FileInputStream stream) {
        try {
            return stream.getFD();
        } catch (IOException e) {
            throw new IllegalStateException("a FileInputStream without a descriptor", e);
        }
    }

    private static FileDescriptor descriptorOf(FileOutputStream stream) {
        try {
            return stream.getFD();
        } catch (IOException e) {
            throw new IllegalStateException("a FileOutputStream without a descriptor", e);
        }
    }

    private static FileDescriptor descriptorOf(RandomAccessFile file) {
        try {
            return file.getFD();
        } catch (IOException e) {
            throw new IllegalStateException("a RandomAccessFile without a descriptor", e);
        }
    }
}
