package dev.stasis.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The counter server sample, checkpointed, killed with {@code kill -9} and relaunched with the same
 * command: it listens on the same port again with the counter of the checkpoint, while the
 * connection it kept open across the checkpoint comes back closed. A port taken by someone else
 * refuses the resume and leaves the snapshot for a later one.
 */
class ServerSocketResumeIT {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path work;

    private JvmCommand server() {
        return Samples.counterServer(work.resolve("snapshots"));
    }

    @Test
    void a_resumed_server_answers_on_the_same_port_with_its_counter_and_old_connections_closed() throws Exception {
        int port;
        String snapshot;
        try (ForkedJvm first = ForkedJvm.start(server(), work, "first")) {
            port = portOf(first);
            assertThat(request(port, "INC")).isEqualTo("COUNT 1");
            assertThat(request(port, "INC")).isEqualTo("COUNT 2");
            try (Socket watcher = new Socket(LOOPBACK, port)) {
                assertThat(exchange(watcher, "WATCH")).isEqualTo("WATCHING 2");
                assertThat(request(port, "INC")).isEqualTo("COUNT 3");
                assertThat(readLine(watcher)).as("the watcher hears of the increment").isEqualTo("COUNT 3");
                snapshot = AgentCli.checkpointOrFail(first, work);
                assertThat(request(port, "INC")).as("the checkpointed server goes on serving").isEqualTo("COUNT 4");
                first.killHard();
            }
        }

        try (ForkedJvm resumed = ForkedJvm.start(server(), work, "resumed")) {
            String context = resumed.describe();
            assertThat(awaitAnswer(port, "GET", resumed)).as("the counter of the checkpoint, on the same port\n" + context)
                    .isEqualTo("COUNT 3");
            assertThat(request(port, "INC")).isEqualTo("COUNT 4");
            String dropped = resumed.awaitLine(line -> line.startsWith("WATCHER DROPPED"), "the kept connection failing", START_TIMEOUT);
            assertThat(dropped).isEqualTo("WATCHER DROPPED java.net.SocketException: Socket is closed");
            assertThat(request(port, "STOP")).isEqualTo("STOPPING");
            assertThat(resumed.awaitExit(START_TIMEOUT)).as(resumed.describe()).isZero();
            assertThat(resumed.stdoutLines()).as("a resume does not run main from the start").doesNotContain("LISTENING " + port)
                    .contains("STOPPED at " + port);
            assertThat(resumed.stderr()).contains("stasis: resumed from snapshot " + snapshot)
                    .contains("stasis: listening again: java.net.ServerSocket on " + LOOPBACK.getHostAddress() + ":" + port)
                    .doesNotContain("working directory");
        }

        AgentCli.Result inspect = AgentCli.run(work, "inspect", work.resolve("snapshots/snapshot-" + snapshot + ".stasis").toString());
        assertThat(inspect.exitCode()).as("inspect finds the classes on the class path the run recorded\n" + inspect.describe()).isZero();
        assertThat(inspect.stdout()).contains("  user.dir        " + work).containsPattern("  environment     \\d+ variables");
    }

    @Test
    void a_port_taken_at_resume_refuses_it_and_the_snapshot_resumes_once_the_port_is_free() throws Exception {
        int port;
        String snapshot;
        try (ForkedJvm first = ForkedJvm.start(server(), work, "first")) {
            port = portOf(first);
            assertThat(request(port, "INC")).isEqualTo("COUNT 1");
            snapshot = AgentCli.checkpointOrFail(first, work);
            first.killHard();
        }

        try (ServerSocket squatter = new ServerSocket()) {
            squatter.setReuseAddress(true);
            squatter.bind(new InetSocketAddress(LOOPBACK, port));
            try (ForkedJvm refused = ForkedJvm.start(server(), work, "refused")) {
                assertThat(refused.awaitExit(START_TIMEOUT)).as(refused.describe()).isEqualTo(2);
                assertThat(refused.stderr()).as(refused.describe())
                        .contains("snapshot " + snapshot + ": the program's java.net.ServerSocket on "
                                + LOOPBACK.getHostAddress() + ":" + port + " cannot listen on port " + port + " again")
                        .contains("rebind=false");
            }
        }

        Path elsewhere = Files.createDirectories(work.resolve("elsewhere"));
        try (ForkedJvm resumed = ForkedJvm.start(server(), elsewhere, "resumed")) {
            assertThat(awaitAnswer(port, "GET", resumed)).as(resumed.describe()).isEqualTo("COUNT 1");
            assertThat(request(port, "STOP")).isEqualTo("STOPPING");
            assertThat(resumed.awaitExit(START_TIMEOUT)).as(resumed.describe()).isZero();
            assertThat(resumed.stderr()).as("a resume from another directory says so")
                    .contains("stasis: snapshot " + snapshot + " was taken in working directory " + work
                            + ", this JVM runs in " + elsewhere);
        }
    }

    @Test
    void with_rebind_false_the_server_socket_comes_back_closed_and_accept_fails_the_ordinary_way() throws Exception {
        int port;
        try (ForkedJvm first = ForkedJvm.start(server(), work, "first")) {
            port = portOf(first);
            assertThat(request(port, "INC")).isEqualTo("COUNT 1");
            AgentCli.checkpointOrFail(first, work);
            first.killHard();
        }

        JvmCommand closed = JvmCommand.of(Samples.COUNTER_SERVER, "0").withAgent("dir=" + work.resolve("snapshots") + ",rebind=false");
        try (ForkedJvm resumed = ForkedJvm.start(closed, work, "closed")) {
            assertThat(resumed.awaitExit(START_TIMEOUT)).as(resumed.describe()).isEqualTo(1);
            assertThat(resumed.stderr()).as(resumed.describe())
                    .contains("stasis: rebind=false: the program's java.net.ServerSocket on " + LOOPBACK.getHostAddress() + ":"
                            + port + " comes back closed")
                    .contains("java.net.SocketException: Socket is closed");
        }
    }

    private static int portOf(ForkedJvm jvm) {
        String line = jvm.awaitLine(l -> l.startsWith("LISTENING "), "the LISTENING line", START_TIMEOUT);
        return Integer.parseInt(line.substring("LISTENING ".length()));
    }

    /** One request on its own connection. */
    private static String request(int port, String line) throws IOException {
        try (Socket socket = new Socket(LOOPBACK, port)) {
            return exchange(socket, line);
        }
    }

    /** Retries while nothing listens yet (the relaunched JVM is starting), as a client of a restarting service would. */
    private static String awaitAnswer(int port, String line, ForkedJvm jvm) throws IOException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (true) {
            try {
                return request(port, line);
            } catch (ConnectException notYet) {
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError("nothing listened on port " + port + " within " + START_TIMEOUT + "\n" + jvm.describe());
                }
                ForkedJvm.sleep(Duration.ofMillis(20));
            }
        }
    }

    private static String exchange(Socket socket, String line) throws IOException {
        socket.setSoTimeout((int) START_TIMEOUT.toMillis());
        OutputStream out = socket.getOutputStream();
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return readLine(socket);
    }

    /** Reads byte by byte, so no buffer holds back a later line of a kept connection. */
    private static String readLine(Socket socket) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = socket.getInputStream().read()) != -1 && b != '\n') {
            line.append((char) b);
        }
        return line.toString();
    }
}
