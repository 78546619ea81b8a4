package dev.stasis.runtime.internal.snapshot.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.stasis.runtime.internal.snapshot.ListeningSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.ServerSocketChannel;

/**
 * {@code java.net.ServerSocket}: whether it was bound, closed or neither, its address and the
 * options a resumed {@code accept} loop depends on (SO_REUSEADDR, SO_TIMEOUT). Read back unbound,
 * with those options set, and handed to the resume as a {@link ListeningSocket}. The socket of a
 * {@code ServerSocketChannel} is written as its channel. Writing only reads the socket's state: the
 * checkpointed program goes on accepting on it.
 */
final class ServerSocketSerializer extends Serializer<ServerSocket> {
    static final byte UNBOUND = 0;
    static final byte BOUND = 1;
    static final byte CLOSED = 2;
    private static final byte PLAIN = 0;
    private static final byte OF_CHANNEL = 1;

    @Override
    public void write(Kryo kryo, Output output, ServerSocket socket) {
        if (socket.getChannel() != null) {
            output.writeByte(OF_CHANNEL);
            kryo.writeClassAndObject(output, socket.getChannel());
            return;
        }
        if (socket.getClass() != ServerSocket.class) {
            throw CapturePathException.refuse(socket, "a " + socket.getClass().getName() + " (a ServerSocket subclass)"
                    + " cannot be bound again by Stasis, only java.net.ServerSocket and ServerSocketChannel can:"
                    + " close it before a checkpoint and open it again after a restore (e.g. in an org.crac Resource)");
        }
        output.writeByte(PLAIN);
        try {
            if (socket.isClosed()) {
                output.writeByte(CLOSED);
                return;
            }
            output.writeByte(socket.isBound() ? BOUND : UNBOUND);
            output.writeBoolean(socket.getReuseAddress());
            output.writeVarInt(socket.getSoTimeout(), true);
            if (socket.isBound()) {
                SocketAddresses.write(output, (InetSocketAddress) socket.getLocalSocketAddress());
            }
        } catch (IOException e) {
            throw CapturePathException.refuse(socket, "its options cannot be read: " + e);
        }
    }

    @Override
    public ServerSocket read(Kryo kryo, Input input, Class<? extends ServerSocket> type) {
        if (input.readByte() == OF_CHANNEL) {
            return ((ServerSocketChannel) kryo.readClassAndObject(input)).socket();
        }
        byte state = input.readByte();
        try {
            ServerSocket socket = new ServerSocket();
            if (state == CLOSED) {
                socket.close();
                return socket;
            }
            socket.setReuseAddress(input.readBoolean());
            socket.setSoTimeout(input.readVarInt(true));
            if (state == BOUND) {
                ReadListeners.add(kryo, new ListeningSocket(ServerSocket.class.getName(), SocketAddresses.read(input),
                        socket::bind, socket));
            }
            return socket;
        } catch (IOException e) {
            throw new KryoException("cannot create a server socket: " + e, e);
        }
    }
}
