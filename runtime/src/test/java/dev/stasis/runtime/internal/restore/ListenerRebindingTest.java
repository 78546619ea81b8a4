package dev.stasis.runtime.internal.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stasis.runtime.RestoreException;
import dev.stasis.runtime.internal.snapshot.ListeningSocket;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ListenerRebindingTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
    private ServerSocket taken;
    private ServerSocket first;
    private ServerSocket second;

    @AfterEach
    void close() throws Exception {
        for (ServerSocket s : new ServerSocket[] {taken, first, second}) {
            if (s != null) {
                s.close();
            }
        }
    }

    /** An unbound server socket for {@code port}, as a snapshot read gives it. */
    private static ListeningSocket listener(ServerSocket socket, int port) {
        return new ListeningSocket("java.net.ServerSocket", new InetSocketAddress(LOOPBACK, port), socket::bind, socket);
    }

    private static int freePort() throws Exception {
        try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
            return probe.getLocalPort();
        }
    }

    @Test
    void rebind_binds_each_server_socket_to_its_port_and_says_so() throws Exception {
        int port = freePort();
        first = new ServerSocket();
        first.setReuseAddress(true);

        ListenerRebinding.reopen("000003", List.of(listener(first, port)), true, errStream);

        assertThat(first.getLocalPort()).isEqualTo(port);
        try (Socket client = new Socket(LOOPBACK, port); Socket accepted = first.accept()) {
            assertThat(accepted.isConnected()).isTrue();
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("stasis: listening again: java.net.ServerSocket on "
                + LOOPBACK.getHostAddress() + ":" + port + System.lineSeparator());
    }

    @Test
    void rebind_off_leaves_them_closed_so_accept_throws() throws Exception {
        int port = freePort();
        first = new ServerSocket();

        ListenerRebinding.reopen("000003", List.of(listener(first, port)), false, errStream);

        assertThat(first.isClosed()).isTrue();
        assertThatThrownBy(first::accept).isInstanceOf(SocketException.class).hasMessage("Socket is closed");
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("stasis: rebind=false: the program's java.net.ServerSocket on ")
                .contains("comes back closed");
    }

    @Test
    void a_port_taken_refuses_the_resume_naming_the_port_and_the_ways_out_and_closes_the_others() throws Exception {
        taken = new ServerSocket(0, 50, LOOPBACK);
        int port = taken.getLocalPort();
        int free = freePort();
        first = new ServerSocket();
        second = new ServerSocket();

        assertThatThrownBy(() -> ListenerRebinding.reopen("000003", List.of(listener(first, free), listener(second, port)),
                true, errStream))
                .isInstanceOf(RestoreException.class)
                .hasMessageStartingWith("snapshot 000003: the program's java.net.ServerSocket on " + LOOPBACK.getHostAddress()
                        + ":" + port + " cannot listen on port " + port + " again: ")
                .hasMessageContaining("Free the port")
                .hasMessageContaining("rebind=false")
                .hasMessageContaining("restore=never")
                .hasMessageContaining("The snapshot was left as it is.");
        assertThat(first.isClosed()).as("what was already bound is released").isTrue();
        assertThat(second.isClosed()).isTrue();
        assertThat(taken.isClosed()).as("the other program's socket is untouched").isFalse();
    }

    @Test
    void nothing_to_rebind_prints_nothing() throws RestoreException {
        ListenerRebinding.reopen("000003", List.of(), true, errStream);

        assertThat(err.size()).isZero();
    }
}
