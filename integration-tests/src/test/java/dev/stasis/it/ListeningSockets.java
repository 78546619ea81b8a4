package dev.stasis.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The sockets a process could be reached on, from Linux's /proc: TCP sockets in LISTEN state and
 * every UDP socket, matched to the process by the socket inodes among its file descriptors.
 */
final class ListeningSockets {
    private static final String TCP_LISTEN = "0A";

    private ListeningSockets() {
    }

    /** One line per socket: protocol, local address and port in /proc's hex notation, inode. */
    static List<String> of(long pid) {
        Set<String> inodes = socketInodes(pid);
        List<String> found = new ArrayList<>();
        for (String table : List.of("tcp", "tcp6", "udp", "udp6")) {
            Path path = Path.of("/proc", Long.toString(pid), "net", table);
            for (String line : lines(path)) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && (table.startsWith("udp") || TCP_LISTEN.equals(f[3])) && inodes.contains(f[9])) {
                    found.add(table + " " + f[1] + " inode " + f[9]);
                }
            }
        }
        return found;
    }

    private static Set<String> socketInodes(long pid) {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (NoSuchFileException closedMeanwhile) {
                    // a descriptor closed while we listed them
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the descriptors of process " + pid, e);
        }
        return inodes;
    }

    private static List<String> lines(Path table) {
        try {
            List<String> lines = Files.readAllLines(table);
            return lines.isEmpty() ? lines : lines.subList(1, lines.size());
        } catch (NoSuchFileException e) {
            return List.of(); // no IPv6 on this machine
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
