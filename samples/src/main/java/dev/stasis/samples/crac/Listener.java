package dev.stasis.samples.crac;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.crac.Context;
import org.crac.Resource;

/**
 * The service's HTTP listener on a fixed loopback port, closed before a checkpoint and opened again after
 * a restore, as CRaC asks of open sockets. The requests are answered on the server's own dispatcher
 * thread, so closing the server leaves no thread of it running.
 */
final class Listener implements Resource {
    private final int port;
    private final Requests requests;
    private HttpServer server;

    Listener(int port, Requests requests) {
        this.port = port;
        this.requests = requests;
    }

    synchronized void open() throws IOException {
        HttpServer opened = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        opened.createContext("/count", exchange -> answer(exchange, "request " + requests.next()));
        opened.createContext("/checkpoint", exchange -> {
            // Answered first: the checkpoint closes this server, and the stop ends the program, either
            // of which could otherwise cut the answer off before the client has read it.
            answer(exchange, "requested");
            requests.requestCheckpoint();
        });
        opened.createContext("/stop", exchange -> {
            answer(exchange, "stopping");
            requests.requestStop();
        });
        opened.start();
        server = opened;
    }

    synchronized void close() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        close();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) throws IOException {
        open();
    }

    private static void answer(HttpExchange exchange, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
