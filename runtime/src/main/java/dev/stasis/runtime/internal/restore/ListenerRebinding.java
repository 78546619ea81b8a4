package dev.stasis.runtime.internal.restore;

import dev.stasis.runtime.RestoreException;
import dev.stasis.runtime.internal.snapshot.ListeningSocket;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Brings the server sockets of a resumed program back: bound to the address and port they
 * listened on ({@code rebind=true}), or closed ({@code rebind=false}). A port that cannot be bound
 * again refuses the resume rather than resuming a server that cannot serve: the snapshot stays as
 * it is, and the message says which port and how to go on.
 */
final class ListenerRebinding {
    private ListenerRebinding() {
    }

    static void reopen(String snapshotId, List<ListeningSocket> listeners, boolean rebind, PrintStream err)
            throws RestoreException {
        if (listeners.isEmpty()) {
            return;
        }
        if (!rebind) {
            listeners.forEach(ListeningSocket::close);
            err.println("stasis: rebind=false: the program's " + describe(listeners) + " come" + (listeners.size() == 1 ? "s" : "")
                    + " back closed");
            return;
        }
        List<ListeningSocket> bound = new ArrayList<>();
        for (ListeningSocket listener : listeners) {
            try {
                listener.bind();
                bound.add(listener);
            } catch (IOException | RuntimeException e) {
                listeners.forEach(ListeningSocket::close);
                throw new RestoreException("snapshot " + snapshotId + ": the program's " + listener.describe()
                        + " cannot listen on port " + listener.address().getPort() + " again: " + e.getMessage()
                        + ". Free the port (is another instance of the program, or what replaced it, listening there?)"
                        + " and start again, or start with rebind=false to resume with that server socket closed,"
                        + " or restore=never to start from the beginning. The snapshot was left as it is.", e);
            }
        }
        err.println("stasis: listening again: " + describe(bound));
    }

    private static String describe(List<ListeningSocket> listeners) {
        return listeners.stream().map(ListeningSocket::describe).collect(Collectors.joining(", "));
    }
}
