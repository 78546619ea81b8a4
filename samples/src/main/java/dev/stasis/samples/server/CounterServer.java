package dev.stasis.samples.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A counter served over a line protocol on the loopback address, one request per connection:
 * {@code INC} adds one and answers {@code COUNT <n>}, {@code GET} answers {@code COUNT <n>},
 * {@code WATCH} answers {@code WATCHING <n>} and keeps the connection open, sending
 * {@code COUNT <n>} to it after every {@code INC}, and {@code STOP} ends the program.
 *
 * <p>Usage: {@code CounterServer <port>} (0 for any free port); prints {@code LISTENING <port>}.
 * The main thread accepts with a short timeout, so it regularly reaches a point where Stasis can
 * checkpoint it. Under Stasis a relaunch listens on the same port with the counter as it was at
 * the checkpoint; connections kept across the checkpoint come back closed, and writing to them
 * fails like writing to any closed socket ({@code WATCHER DROPPED <reason>}).
 */
public final class CounterServer {
    private static final int ACCEPT_POLL_MILLIS = 50;
    private static final int REQUEST_TIMEOUT_MILLIS = 5_000;

    private final ServerSocket server;
    private final List<Socket> watchers = new ArrayList<>();
    private long counter;

    private CounterServer(ServerSocket server) {
        this.server = server;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: CounterServer <port>");
            System.exit(2);
        }
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.setSoTimeout(ACCEPT_POLL_MILLIS);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0])));
        System.out.println("LISTENING " + server.getLocalPort());
        new CounterServer(server).serve();
        System.out.println("STOPPED at " + server.getLocalPort());
    }

    private void serve() throws IOException {
        boolean running = true;
        while (running) {
            Socket client;
            try {
                client = server.accept();
            } catch (SocketTimeoutException idle) {
                continue;
            }
            running = answer(client);
        }
        server.close();
    }

    /** Answers one request; false when asked to stop. */
    private boolean answer(Socket client) throws IOException {
        client.setSoTimeout(REQUEST_TIMEOUT_MILLIS);
        String request;
        try {
            request = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8)).readLine();
        } catch (IOException e) {
            client.close();
            return true;
        }
        boolean keepOpen = false;
        if ("INC".equals(request)) {
            counter++;
            send(client, "COUNT " + counter);
            notifyWatchers();
        } else if ("GET".equals(request)) {
            send(client, "COUNT " + counter);
        } else if ("WATCH".equals(request)) {
            send(client, "WATCHING " + counter);
            watchers.add(client);
            keepOpen = true;
        } else if ("STOP".equals(request)) {
            send(client, "STOPPING");
            client.close();
            return false;
        } else {
            send(client, "ERROR unknown request " + request);
        }
        if (!keepOpen) {
            client.close();
        }
        return true;
    }

    private void notifyWatchers() {
        for (Iterator<Socket> it = watchers.iterator(); it.hasNext(); ) {
            Socket watcher = it.next();
            try {
                send(watcher, "COUNT " + counter);
            } catch (IOException e) {
                System.out.println("WATCHER DROPPED " + e);
                it.remove();
            }
        }
    }

    private static void send(Socket socket, String line) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
