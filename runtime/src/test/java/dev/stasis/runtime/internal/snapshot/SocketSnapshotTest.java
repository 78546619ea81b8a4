package dev.stasis.runtime.internal.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sockets through the snapshot codec. Writing happens while the sockets are open, as in a
 * checkpoint the program continues from; reading gives server sockets back unbound (bound again
 * only by a resume, see ListenerRebindingTest) and connections closed.
 */
class SocketSnapshotTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private <T extends AutoCloseable> T keep(T closeable) {
        open.add(closeable);
        return closeable;
    }

    private SnapshotContent roundTrip(Object... refs) throws IOException {
        return Snapshots.read(Snapshots.write(dir.resolve("s-" + System.nanoTime() + ".stasis"), Snapshots.frameHolding(refs)));
    }

    private static Object[] refs(SnapshotContent content) {
        return content.threads().get(0).frames().get(0).refs;
    }

    @Test
    void a_bound_server_socket_comes_back_unbound_with_its_options_and_binds_to_the_same_port() throws Exception {
        ServerSocket original = keep(new ServerSocket());
        original.setReuseAddress(true);
        original.setSoTimeout(250);
        original.bind(new InetSocketAddress(LOOPBACK, 0));
        int port = original.getLocalPort();

        SnapshotContent content = roundTrip(original);
        assertThat(original.isBound()).as("writing leaves the program's socket as it was").isTrue();
        assertThat(original.isClosed()).isFalse();
        original.close(); // the checkpointed process is gone

        ServerSocket back = keep((ServerSocket) refs(content)[0]);
        assertThat(back).isNotSameAs(original);
        assertThat(back.isBound()).isFalse();
        assertThat(back.getSoTimeout()).isEqualTo(250);
        assertThat(back.getReuseAddress()).isTrue();
        assertThat(content.listeners()).singleElement().satisfies(listener -> {
            assertThat(listener.address()).isEqualTo(new InetSocketAddress(LOOPBACK, port));
            assertThat(listener.describe()).isEqualTo("java.net.ServerSocket on " + LOOPBACK.getHostAddress() + ":" + port);
        });

        content.listeners().get(0).bind();
        assertThat(back.getLocalPort()).isEqualTo(port);
        try (Socket client = new Socket(LOOPBACK, port); Socket accepted = back.accept()) {
            client.getOutputStream().write(42);
            assertThat(accepted.getInputStream().read()).isEqualTo(42);
        }
    }

    @Test
    void binding_again_while_the_port_is_taken_fails_with_a_bind_exception() throws Exception {
        ServerSocket stillListening = keep(new ServerSocket(0, 50, LOOPBACK));
        stillListening.setReuseAddress(true);

        SnapshotContent content = roundTrip(stillListening);
        keep((ServerSocket) refs(content)[0]);

        assertThatThrownBy(() -> content.listeners().get(0).bind()).isInstanceOf(BindException.class);
    }

    @Test
    void closed_and_unbound_server_sockets_come_back_so_and_are_not_bound_again() throws Exception {
        ServerSocket closed = new ServerSocket(0, 50, LOOPBACK);
        closed.close();
        ServerSocket unbound = keep(new ServerSocket());
        unbound.setSoTimeout(77);

        SnapshotContent content = roundTrip(closed, unbound);

        ServerSocket closedBack = (ServerSocket) refs(content)[0];
        ServerSocket unboundBack = keep((ServerSocket) refs(content)[1]);
        assertThat(closedBack.isClosed()).isTrue();
        assertThat(unboundBack.isClosed()).isFalse();
        assertThat(unboundBack.isBound()).isFalse();
        assertThat(unboundBack.getSoTimeout()).isEqualTo(77);
        assertThat(content.listeners()).isEmpty();
    }

    @Test
    void a_server_socket_channel_keeps_blocking_mode_and_address_and_its_socket_stays_its_socket() throws Exception {
        ServerSocketChannel original = keep(ServerSocketChannel.open());
        original.bind(new InetSocketAddress(LOOPBACK, 0));
        original.configureBlocking(false);
        int port = ((InetSocketAddress) original.getLocalAddress()).getPort();

        SnapshotContent content = roundTrip(original.socket(), original);
        original.close();

        ServerSocketChannel back = keep((ServerSocketChannel) refs(content)[1]);
        assertThat(((ServerSocket) refs(content)[0]).getChannel()).isSameAs(back);
        assertThat(back.isBlocking()).isFalse();
        assertThat(back.getLocalAddress()).isNull();
        assertThat(content.listeners()).singleElement().satisfies(listener ->
                assertThat(listener.describe()).isEqualTo("java.nio.channels.ServerSocketChannel on "
                        + LOOPBACK.getHostAddress() + ":" + port));

        content.listeners().get(0).bind();
        assertThat(((InetSocketAddress) back.getLocalAddress()).getPort()).isEqualTo(port);
        try (SocketChannel client = SocketChannel.open(new InetSocketAddress(LOOPBACK, port))) {
            SocketChannel accepted = null;
            for (int attempt = 0; attempt < 1000 && accepted == null; attempt++) {
                accepted = back.accept(); // non-blocking, as before the checkpoint: null until the connection is queued
                if (accepted == null) {
                    Thread.onSpinWait();
                }
            }
            assertThat(accepted).as("the rebound channel accepts").isNotNull();
            accepted.close();
        }
    }

    @Test
    void connected_sockets_and_the_readers_around_them_come_back_closed_and_throw_io_exceptions() throws Exception {
        ServerSocket server = keep(new ServerSocket(0, 50, LOOPBACK));
        Socket client = keep(new Socket(LOOPBACK, server.getLocalPort()));
        Socket accepted = keep(server.accept());
        BufferedReader reader = new BufferedReader(new InputStreamReader(accepted.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter writer = new PrintWriter(client.getOutputStream(), true);
        OutputStream raw = client.getOutputStream();

        SnapshotContent content = roundTrip(client, accepted, reader, writer, raw);
        assertThat(client.isConnected() && !client.isClosed()).as("writing leaves the connection open").isTrue();
        writer.println("still works");
        assertThat(reader.readLine()).isEqualTo("still works");

        Object[] back = refs(content);
        Socket clientBack = (Socket) back[0];
        assertThat(clientBack.isClosed()).isTrue();
        assertThatThrownBy(clientBack::getInputStream).isInstanceOf(SocketException.class).hasMessage("Socket is closed");
        assertThat(((Socket) back[1]).isClosed()).isTrue();
        assertThatThrownBy(((BufferedReader) back[2])::readLine).isInstanceOf(SocketException.class).hasMessage("Socket is closed");
        PrintWriter writerBack = (PrintWriter) back[3];
        writerBack.println("lost");
        assertThat(writerBack.checkError()).as("a PrintWriter reports the failed write its own way").isTrue();
        assertThatThrownBy(() -> ((OutputStream) back[4]).write(1)).isInstanceOf(SocketException.class);
        assertThat(content.listeners()).as("the server socket was not in the graph").isEmpty();
    }

    @Test
    void a_closed_connection_comes_back_closed_again_from_a_later_checkpoint() throws Exception {
        ServerSocket server = keep(new ServerSocket(0, 50, LOOPBACK));
        Socket client = keep(new Socket(LOOPBACK, server.getLocalPort()));
        keep(server.accept());
        BufferedReader reader = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));

        Object[] once = refs(roundTrip(client, reader));
        Object[] twice = refs(roundTrip(once));

        assertThat(((Socket) twice[0]).isClosed()).isTrue();
        assertThatThrownBy(((BufferedReader) twice[1])::readLine).isInstanceOf(SocketException.class);
    }

    @Test
    void socket_channels_come_back_closed() throws Exception {
        ServerSocketChannel server = keep(ServerSocketChannel.open().bind(new InetSocketAddress(LOOPBACK, 0)));
        SocketChannel client = keep(SocketChannel.open(server.getLocalAddress()));

        Object[] back = refs(roundTrip(client, client.socket()));

        SocketChannel channel = (SocketChannel) back[0];
        assertThat(channel.isOpen()).isFalse();
        assertThatThrownBy(() -> channel.read(ByteBuffer.allocate(1))).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(((Socket) back[1])::getInputStream).isInstanceOf(SocketException.class);
    }

    @Test
    void datagram_sockets_come_back_closed() throws Exception {
        DatagramSocket bound = keep(new DatagramSocket(0, LOOPBACK));

        DatagramSocket back = (DatagramSocket) refs(roundTrip(bound))[0];

        assertThat(back.isClosed()).isTrue();
        assertThatThrownBy(() -> back.receive(new DatagramPacket(new byte[1], 1))).isInstanceOf(SocketException.class);
    }

    @Test
    void a_selector_is_refused_with_the_path_to_it_and_what_to_do() throws Exception {
        Selector selector = keep(Selector.open());
        SnapshotContent content = new SnapshotContent(List.of(new ClassStatics("a.Server", List.of("loop"),
                Arrays.asList(new ArrayList<>(List.of(selector))))), List.of());

        assertThatThrownBy(() -> Snapshots.write(dir.resolve("s.stasis"), content))
                .isInstanceOf(UncapturableObjectException.class)
                .hasMessageContaining("cannot snapshot " + selector.getClass().getName() + " at static a.Server.loop -> java.util.ArrayList[0]")
                .hasMessageContaining("a Selector cannot be reconstructed")
                .hasMessageContaining("release it before a checkpoint and recreate it after a restore");
    }

    @Test
    void a_server_channel_registered_with_a_selector_is_refused() throws Exception {
        Selector selector = keep(Selector.open());
        ServerSocketChannel channel = keep(ServerSocketChannel.open().bind(new InetSocketAddress(LOOPBACK, 0)));
        channel.configureBlocking(false);
        channel.register(selector, SelectionKey.OP_ACCEPT);

        assertThatThrownBy(() -> roundTrip(channel))
                .isInstanceOf(UncapturableObjectException.class)
                .hasMessageContaining("it is registered with a Selector");
    }

    static final class CustomServerSocket extends ServerSocket {
        CustomServerSocket() throws IOException {
        }
    }

    @Test
    void a_server_socket_subclass_is_refused() throws Exception {
        CustomServerSocket custom = keep(new CustomServerSocket());

        assertThatThrownBy(() -> roundTrip(custom))
                .isInstanceOf(UncapturableObjectException.class)
                .hasMessageContaining("(a ServerSocket subclass) cannot be bound again by Stasis");
    }
}
