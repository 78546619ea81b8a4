package dev.stasis.runtime.internal.snapshot.kryo;

import com.esotericsoftware.kryo.Kryo;
import dev.stasis.runtime.internal.snapshot.ListeningSocket;
import java.util.ArrayList;
import java.util.List;

/** The server sockets met while one graph is read, kept in Kryo's per-graph context for the content's root. */
final class ReadListeners {
    private ReadListeners() {
    }

    static void add(Kryo kryo, ListeningSocket socket) {
        listeners(kryo).add(socket);
    }

    static List<ListeningSocket> all(Kryo kryo) {
        return List.copyOf(listeners(kryo));
    }

    @SuppressWarnings("unchecked")
    private static List<ListeningSocket> listeners(Kryo kryo) {
        Object found = kryo.getGraphContext().get(ReadListeners.class);
        if (found == null) {
            found = new ArrayList<ListeningSocket>();
            kryo.getGraphContext().put(ReadListeners.class, found);
        }
        return (List<ListeningSocket>) found;
    }
}
