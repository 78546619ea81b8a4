package dev.stasis.runtime.internal.snapshot;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A server socket read from a snapshot: created with its options, not yet bound. A resume binds it
 * to the address it listened on ({@code rebind=true}) or closes it; reading alone (verify,
 * inspect) leaves it unbound, so looking at a snapshot never takes a port from the running program.
 */
public final class ListeningSocket {
    /** Binds the socket the snapshot's object graph holds. */
    @FunctionalInterface
    public interface Binder {
        void bind(InetSocketAddress address) throws IOException;
    }

    private final String kind;
    private final InetSocketAddress address;
    private final Binder binder;
    private final Closeable socket;

    /** @param kind what the program holds, e.g. {@code java.net.ServerSocket} */
    public ListeningSocket(String kind, InetSocketAddress address, Binder binder, Closeable socket) {
        this.kind = kind;
        this.address = address;
        this.binder = binder;
        this.socket = socket;
    }

    public InetSocketAddress address() {
        return address;
    }

    /** {@code java.net.ServerSocket on 0.0.0.0:8080}. */
    public String describe() {
        return kind + " on " + address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    /** Listens again where the checkpointed run listened, with the options it had set. */
    public void bind() throws IOException {
        binder.bind(address);
    }

    /** The program then sees a closed socket: {@code accept} throws an {@code IOException}. */
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // never bound: closing only releases the descriptor, and failing to do so changes nothing for the program
        }
    }
}
