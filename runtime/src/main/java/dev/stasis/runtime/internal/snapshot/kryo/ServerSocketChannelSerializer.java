package dev.stasis.runtime.internal.snapshot.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.stasis.runtime.internal.snapshot.ListeningSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.spi.SelectorProvider;

/**
 * {@code ServerSocketChannel} of the JDK's own provider: open, bound or closed, blocking mode,
 * SO_REUSEADDR and the address; read back unbound with those set, as a {@link ListeningSocket}.
 * A channel registered with a {@code Selector} is refused: the registration cannot come back.
 */
final class ServerSocketChannelSerializer extends Serializer<ServerSocketChannel> {
    @Override
    public void write(Kryo kryo, Output output, ServerSocketChannel channel) {
        if (channel.provider() != SelectorProvider.provider()) {
            throw CapturePathException.refuse(channel, "a server socket channel of another provider ("
                    + channel.provider().getClass().getName() + ") cannot be bound again by Stasis:"
                    + " close it before a checkpoint and open it again after a restore (e.g. in an org.crac Resource)");
        }
        if (!channel.isOpen()) {
            output.writeByte(ServerSocketSerializer.CLOSED);
            return;
        }
        if (channel.isRegistered()) {
            throw CapturePathException.refuse(channel, "it is registered with a Selector, and a Selector cannot be"
                    + " reconstructed: close the selector and its channels before a checkpoint and register them"
                    + " again after a restore (e.g. in an org.crac Resource), or accept in blocking mode");
        }
        try {
            SocketAddress local = channel.getLocalAddress();
            if (local != null && !(local instanceof InetSocketAddress)) {
                throw CapturePathException.refuse(channel, "it listens on " + local + ", not an IP address, and only"
                        + " IP server sockets are bound again: close it before a checkpoint and open it again after a restore");
            }
            output.writeByte(local == null ? ServerSocketSerializer.UNBOUND : ServerSocketSerializer.BOUND);
            output.writeBoolean(channel.isBlocking());
            output.writeBoolean(channel.getOption(StandardSocketOptions.SO_REUSEADDR));
            if (local != null) {
                SocketAddresses.write(output, (InetSocketAddress) local);
            }
        } catch (IOException e) {
            throw CapturePathException.refuse(channel, "its address or options cannot be read: " + e);
        }
    }

    @Override
    public ServerSocketChannel read(Kryo kryo, Input input, Class<? extends ServerSocketChannel> type) {
        byte state = input.readByte();
        try {
            ServerSocketChannel channel = ServerSocketChannel.open();
            if (state == ServerSocketSerializer.CLOSED) {
                channel.close();
                return channel;
            }
            channel.configureBlocking(input.readBoolean());
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, input.readBoolean());
            if (state == ServerSocketSerializer.BOUND) {
                ReadListeners.add(kryo, new ListeningSocket(ServerSocketChannel.class.getName(), SocketAddresses.read(input),
                        channel::bind, channel));
            }
            return channel;
        } catch (IOException e) {
            throw new KryoException("cannot create a server socket channel: " + e, e);
        }
    }
}
