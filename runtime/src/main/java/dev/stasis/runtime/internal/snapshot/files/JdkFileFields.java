package dev.stasis.runtime.internal.snapshot.files;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.RandomAccessFile;
import java.lang.reflect.Field;
import java.nio.channels.FileChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The few private JDK fields that say which file a stream or channel has open: the path it was
 * opened with, the native descriptor number, a channel's owning stream. No public API tells them.
 * The agent opens java.io and sun.nio.ch to Stasis at startup.
 */
final class JdkFileFields {
    /** The JDK's file channel; any other {@link FileChannel} is not a plain file's. */
    static final String FILE_CHANNEL_CLASS = "sun.nio.ch.FileChannelImpl";
    private static final Map<String, Field> FIELDS = new ConcurrentHashMap<>();

    private JdkFileFields() {
    }

    static int descriptor(FileDescriptor fd) {
        try {
            return field(FileDescriptor.class, "fd").getInt(fd);
        } catch (IllegalAccessException e) {
            throw inaccessible(FileDescriptor.class, "fd", e);
        }
    }

    /** The path {@code stream} (a FileInputStream, FileOutputStream or RandomAccessFile) was opened with, or null. */
    static String path(Object stream) {
        return (String) get(ownerOfPath(stream), "path", stream);
    }

    /** Gives a stream rebuilt from a descriptor the path it had, so the next checkpoint finds it. */
    static void setPath(Object stream, String path) {
        set(ownerOfPath(stream), "path", stream, path);
    }

    static FileDescriptor channelDescriptor(FileChannel channel) {
        return (FileDescriptor) get(channel.getClass(), "fd", channel);
    }

    static String channelPath(FileChannel channel) {
        return (String) get(channel.getClass(), "path", channel);
    }

    static void setChannelPath(FileChannel channel, String path) {
        set(channel.getClass(), "path", channel, path);
    }

    /** The stream or RandomAccessFile whose {@code getChannel()} made {@code channel}, or null. */
    static Object channelParent(FileChannel channel) {
        return get(channel.getClass(), "parent", channel);
    }

    private static Class<?> ownerOfPath(Object stream) {
        if (stream instanceof FileInputStream) {
            return FileInputStream.class;
        }
        if (stream instanceof FileOutputStream) {
            return FileOutputStream.class;
        }
        if (stream instanceof RandomAccessFile) {
            return RandomAccessFile.class;
        }
        throw new IllegalArgumentException("not a file stream: " + stream.getClass().getName());
    }

    private static Object get(Class<?> owner, String name, Object target) {
        try {
            return field(owner, name).get(target);
        } catch (IllegalAccessException e) {
            throw inaccessible(owner, name, e);
        }
    }

    private static void set(Class<?> owner, String name, Object target, Object value) {
        try {
            field(owner, name).set(target, value);
        } catch (IllegalAccessException e) {
            throw inaccessible(owner, name, e);
        }
    }

    private static Field field(Class<?> owner, String name) {
        Field known = FIELDS.get(owner.getName() + '.' + name);
        return known != null ? known : FIELDS.computeIfAbsent(owner.getName() + '.' + name, key -> lookUp(owner, name));
    }

    private static Field lookUp(Class<?> owner, String name) {
        try {
            Field f = owner.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw inaccessible(owner, name, e);
        }
    }

    private static IllegalStateException inaccessible(Class<?> owner, String name, Exception cause) {
        return new IllegalStateException(owner.getName() + "." + name + " is not accessible: the agent opens "
                + owner.getPackageName() + " to Stasis at startup; without the agent pass --add-opens java.base/"
                + owner.getPackageName() + "=ALL-UNNAMED", cause);
    }
}
