package dev.stasis.runtime.internal.snapshot.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.SerializerFactory;
import com.esotericsoftware.kryo.serializers.ClosureSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers;
import com.esotericsoftware.kryo.util.Util;
import dev.stasis.rt.Frame;
import dev.stasis.runtime.internal.snapshot.ClassStatics;
import dev.stasis.runtime.internal.snapshot.ReadOptions;
import dev.stasis.runtime.internal.snapshot.SnapshotContent;
import dev.stasis.runtime.internal.snapshot.ThreadCapture;
import dev.stasis.runtime.internal.snapshot.threads.MainThread;
import dev.stasis.runtime.internal.snapshot.files.FileReopening;
import dev.stasis.runtime.internal.snapshot.files.OpenFiles;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.RandomAccessFile;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.Channel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.logging.Logger;
import java.util.zip.ZipFile;

/**
 * The one place where the snapshot's Kryo is configured. The registrations below (ids and
 * serializers) are part of the file format: changing them means a new format version.
 */
public final class SnapshotKryoFactory {
    private static final String KRYO_UNSAFE_PROPERTY = "kryo.unsafe";

    static {
        initialiseKryoWithoutUnsafe();
    }

    private SnapshotKryoFactory() {
    }

    /** A Kryo that writes one snapshot with the default depth bound; {@code loader} resolves the application's classes. */
    public static Kryo create(ClassLoader loader) {
        return forWriting(loader, ReadOptions.DEFAULT_MAX_DEPTH);
    }

    /** A Kryo that writes one snapshot and records the classes it uses ({@link #classNames}). */
    public static Kryo forWriting(ClassLoader loader, int maxDepth) {
        return configure(new SnapshotKryo(ManifestClassResolver.recording(), maxDepth, Long.MAX_VALUE,
                new FileReopening(OpenFiles.LEAVE_CLOSED, System.err)), loader);
    }

    /**
     * A Kryo that reads one snapshot: it resolves only {@code classNames} (the snapshot's class list),
     * nests at most {@code maxDepth} deep and reads at most {@code maxValues} values. Read it from a
     * {@link BoundedInput}, which bounds what lengths in the data may allocate. Open files are rebuilt
     * as {@code openFiles} says; after the read, {@link #reopenedFiles} commits or abandons them.
     */
    public static Kryo forReading(ClassLoader loader, List<String> classNames, int maxDepth, long maxValues,
                                  OpenFiles openFiles) {
        return configure(new SnapshotKryo(ManifestClassResolver.allowing(classNames), maxDepth, maxValues,
                new FileReopening(openFiles, System.err)), loader);
    }

    /** The files a reading Kryo opened so far, to commit once the whole graph was read, or to abandon. */
    public static FileReopening reopenedFiles(Kryo kryo) {
        return SnapshotKryo.files(kryo);
    }

    /** The classes a writing Kryo used so far, in order of first use: the snapshot's class list. */
    public static List<String> classNames(Kryo kryo) {
        return ManifestClassResolver.of(kryo).recordedNames();
    }

    private static Kryo configure(SnapshotKryo kryo, ClassLoader loader) {
        kryo.setClassLoader(loader);
        kryo.setRegistrationRequired(false);
        kryo.setWarnUnregisteredClasses(false);
        kryo.setReferences(true);
        kryo.setInstantiatorStrategy(new SnapshotInstantiatorStrategy());

        kryo.register(SnapshotContent.class, new RootSerializers.ContentSerializer(), 20);
        kryo.register(ClassStatics.class, new RootSerializers.ClassStaticsSerializer(), 21);
        kryo.register(ThreadCapture.class, new RootSerializers.ThreadCaptureSerializer(), 22);
        kryo.register(Frame.class, new FrameSerializer(), 23);
        kryo.register(ClosureSerializer.Closure.class, new LambdaSerializer(), 24);
        kryo.register(Random.class, new RandomSerializer(), 25);
        kryo.register(AtomicBoolean.class, new DefaultSerializers.AtomicBooleanSerializer(), 26);
        kryo.register(AtomicInteger.class, new DefaultSerializers.AtomicIntegerSerializer(), 27);
        kryo.register(AtomicLong.class, new DefaultSerializers.AtomicLongSerializer(), 28);
        kryo.register(AtomicReference.class, new AtomicReferenceSerializer(), 29);
        kryo.register(SecureRandom.class, new SecureRandomSerializer(), 30);

        kryo.addDefaultSerializer(LinkedHashMap.class, perType(LinkedHashMapSerializer::new));
        kryo.addDefaultSerializer(EnumMap.class, perType(EnumMapSerializer::new));
        for (Class<?> immutableList : ImmutableListSerializer.TYPES) {
            kryo.addDefaultSerializer(immutableList, new ImmutableListSerializer());
        }
        kryo.addDefaultSerializer(Path.class, new PathSerializer());
        kryo.addDefaultSerializer(Logger.class, new LoggerSerializer());
        kryo.addDefaultSerializer(FileInputStream.class, new OpenFileSerializer.InputStreams());
        kryo.addDefaultSerializer(FileOutputStream.class, new OpenFileSerializer.OutputStreams());
        kryo.addDefaultSerializer(RandomAccessFile.class, new OpenFileSerializer.RandomAccessFiles());
        kryo.addDefaultSerializer(FileChannel.class, new FileChannelSerializer());
        LockSerializers.register(kryo);
        ExecutorSerializers.register(kryo);

        kryo.addDefaultSerializer(Thread.class, new ThreadSerializer(MainThread::find));
        refuse(kryo, ThreadGroup.class, "thread groups belong to the running JVM");
        refuse(kryo, ClassLoader.class, "class loaders belong to the running JVM");
        addSocketSerializers(kryo);
        refuse(kryo, Selector.class, "a Selector cannot be reconstructed: its registrations live in the kernel");
        refuse(kryo, SelectionKey.class, "a SelectionKey belongs to a Selector, which cannot be reconstructed");
        refuse(kryo, Channel.class, "an open channel cannot be saved");
        refuse(kryo, FileDescriptor.class, "a raw file descriptor cannot be saved (Stasis reopens streams, random-access"
                + " files and channels by their path)");
        refuse(kryo, FileLock.class, "a file lock cannot be saved (a relaunch would not hold it)");
        refuse(kryo, ZipFile.class, "an open zip or jar file cannot be saved (its native reader and caches belong to"
                + " the running JVM)");
        refuse(kryo, Process.class, "a child process cannot be saved");
        return kryo;
    }

    /**
     * Server sockets are bound again on resume; connections come back closed. Before the refusal of
     * {@link Channel}, since Kryo takes the first default serializer whose type matches.
     */
    private static void addSocketSerializers(Kryo kryo) {
        kryo.addDefaultSerializer(ServerSocket.class, new ServerSocketSerializer());
        kryo.addDefaultSerializer(ServerSocketChannel.class, new ServerSocketChannelSerializer());
        kryo.addDefaultSerializer(Socket.class, ClosedSocketSerializer.sockets());
        kryo.addDefaultSerializer(SocketChannel.class, ClosedSocketSerializer.socketChannels());
        kryo.addDefaultSerializer(DatagramSocket.class, ClosedSocketSerializer.datagramSockets());
        kryo.addDefaultSerializer(DatagramChannel.class, ClosedSocketSerializer.datagramChannels());
        for (Class<?> input : ClosedSocketStreams.inputTypes()) {
            kryo.addDefaultSerializer(input, ClosedSocketStreams.inputSerializer());
        }
        for (Class<?> output : ClosedSocketStreams.outputTypes()) {
            kryo.addDefaultSerializer(output, ClosedSocketStreams.outputSerializer());
        }
    }

    /** One serializer instance per concrete type, as Kryo does for its own map serializers. */
    private static SerializerFactory<Serializer<?>> perType(Supplier<Serializer<?>> serializer) {
        return new SerializerFactory.BaseSerializerFactory<>() {
            @Override
            public Serializer<?> newSerializer(Kryo kryo, Class type) {
                return serializer.get();
            }
        };
    }

    private static void refuse(Kryo kryo, Class<?> type, String reason) {
        kryo.addDefaultSerializer(type, new RefusingSerializer(reason
                + ": release it before a checkpoint and recreate it after a restore"
                + " (e.g. in an org.crac Resource's beforeCheckpoint/afterRestore)"));
    }

    /**
     * Kryo decides once, when {@link Util} initialises, whether its field serializers use
     * {@code sun.misc.Unsafe}; on JDK 24+ that prints a deprecation warning to the application's
     * stderr. Make that decision "no" before any Kryo class initialises, and leave the system
     * property as it was.
     */
    private static void initialiseKryoWithoutUnsafe() {
        synchronized (System.getProperties()) {
            String previous = System.getProperty(KRYO_UNSAFE_PROPERTY);
            System.setProperty(KRYO_UNSAFE_PROPERTY, "false");
            try {
                Class.forName(Util.class.getName(), true, Util.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("Kryo is not on the class path", e);
            } finally {
                if (previous == null) {
                    System.clearProperty(KRYO_UNSAFE_PROPERTY);
                } else {
                    System.setProperty(KRYO_UNSAFE_PROPERTY, previous);
                }
            }
        }
    }
}
