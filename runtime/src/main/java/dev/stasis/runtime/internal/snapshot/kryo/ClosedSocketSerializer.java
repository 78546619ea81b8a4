package dev.stasis.runtime.internal.snapshot.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.MulticastSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.Set;

/**
 * Connections, which cannot outlive the process at the other end's view of them: written as their
 * class alone and read back closed, so the resumed program gets the ordinary {@code IOException}
 * of a closed socket ({@code Socket is closed}, {@code ClosedChannelException}) and can reconnect.
 * Datagram sockets are treated the same way: what they were bound to is not kept.
 */
final class ClosedSocketSerializer extends Serializer<Object> {
    /** The sockets that {@code SocketChannel.socket()} and {@code DatagramChannel.socket()} return. */
    private static final String SOCKET_ADAPTOR = "sun.nio.ch.SocketAdaptor";
    private static final String DATAGRAM_ADAPTOR = "sun.nio.ch.DatagramSocketAdaptor";

    /** Creates the closed stand-in for a class the writer accepted. */
    @FunctionalInterface
    private interface ClosedFactory {
        Object create(Class<?> type) throws IOException;
    }

    private final Set<String> classNames;
    private final String family;
    private final ClosedFactory factory;

    private ClosedSocketSerializer(String family, Set<String> classNames, ClosedFactory factory) {
        this.family = family;
        this.classNames = classNames;
        this.factory = factory;
    }

    static ClosedSocketSerializer sockets() {
        return new ClosedSocketSerializer("Socket", Set.of(Socket.class.getName(), SOCKET_ADAPTOR), type -> {
            if (type == Socket.class) {
                Socket socket = new Socket();
                socket.close();
                return socket;
            }
            return closed(SocketChannel.open()).socket();
        });
    }

    static ClosedSocketSerializer socketChannels() {
        return new ClosedSocketSerializer("SocketChannel", Set.of(), type -> closed(SocketChannel.open()));
    }

    static ClosedSocketSerializer datagramSockets() {
        return new ClosedSocketSerializer("DatagramSocket",
                Set.of(DatagramSocket.class.getName(), MulticastSocket.class.getName(), DATAGRAM_ADAPTOR), type -> {
                    if (type == DatagramSocket.class || type == MulticastSocket.class) {
                        DatagramSocket socket = type == DatagramSocket.class
                                ? new DatagramSocket((SocketAddress) null) : new MulticastSocket((SocketAddress) null);
                        socket.close();
                        return socket;
                    }
                    return closed(DatagramChannel.open()).socket();
                });
    }

    static ClosedSocketSerializer datagramChannels() {
        return new ClosedSocketSerializer("DatagramChannel", Set.of(), type -> closed(DatagramChannel.open()));
    }

    private static <C extends java.nio.channels.Channel> C closed(C channel) throws IOException {
        channel.close();
        return channel;
    }

    @Override
    public void write(Kryo kryo, Output output, Object socket) {
        if (!accepts(socket)) {
            throw CapturePathException.refuse(socket, "a " + socket.getClass().getName() + " (a " + family
                    + " subclass) cannot be brought back even closed: close it before a checkpoint and open a new"
                    + " connection after a restore (e.g. in an org.crac Resource)");
        }
        // nothing else: a connection comes back closed whatever its state was
    }

    private boolean accepts(Object socket) {
        if (classNames.isEmpty()) {
            return ((java.nio.channels.spi.AbstractSelectableChannel) socket).provider() == SelectorProvider.provider();
        }
        return classNames.contains(socket.getClass().getName());
    }

    @Override
    public Object read(Kryo kryo, Input input, Class<?> type) {
        try {
            return factory.create(type);
        } catch (IOException e) {
            throw new KryoException("cannot create a closed " + type.getName() + ": " + e, e);
        }
    }
}
