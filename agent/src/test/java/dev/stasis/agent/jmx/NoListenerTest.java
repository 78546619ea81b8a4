package dev.stasis.agent.jmx;

import dev.stasis.agent.testing.FakeRuntime;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Snapshots hold everything the program held: the agent itself must open no port. */
class NoListenerTest {

    @Test
    void registering_on_the_platform_server_opens_no_listening_socket() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs Linux /proc");
        Set<String> before = listeningSocketsOfThisProcess();

        Checkpointer.register(new FakeRuntime(), ManagementFactory.getPlatformMBeanServer());
        try {
            assertThat(listeningSocketsOfThisProcess()).isEqualTo(before);
        } finally {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(Checkpointer.NAME);
        }
    }

    /** Inodes of the sockets this process holds that are in LISTEN state (0A) in /proc/net/tcp{,6}. */
    private static Set<String> listeningSocketsOfThisProcess() throws IOException {
        Set<String> own = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        own.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // the fd of the listing itself, gone by now
                }
            }
        }
        Set<String> listening = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path path = Path.of(table);
            if (!Files.exists(path)) {
                continue;
            }
            for (String line : Files.readAllLines(path)) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && "0A".equals(f[3]) && own.contains(f[9])) {
                    listening.add(f[9]);
                }
            }
        }
        return listening;
    }
}
