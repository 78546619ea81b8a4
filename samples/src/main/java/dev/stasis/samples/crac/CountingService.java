package dev.stasis.samples.crac;

import java.io.IOException;
import java.util.Arrays;
import org.crac.CheckpointException;
import org.crac.Core;
import org.crac.RestoreException;

/**
 * A small HTTP service written for CRaC, knowing nothing of Stasis: its listener is an
 * {@code org.crac.Resource} that closes in {@code beforeCheckpoint} and opens again, on the same port,
 * in {@code afterRestore}; it counts the requests it answers.
 *
 * <p>Usage: {@code CountingService <port>}. Prints {@code listening on <port>}, then serves
 * {@code GET /count} (counts, answers {@code request <n>}), {@code GET /checkpoint} (asks the main thread to
 * call {@code Core.checkpointRestore()}, which prints {@code checkpointRestore returned, count <n>} when it
 * returns) and {@code GET /stop}. The main thread only waits, in short sleeps.
 */
public final class CountingService {
    private static final long IDLE_MILLIS = 20;

    private CountingService() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 1) {
            System.err.println("usage: CountingService <port>");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        Requests requests = new Requests();
        Listener listener = new Listener(port, requests);
        listener.open();
        Core.getGlobalContext().register(listener);
        System.out.println("listening on " + port);
        while (!requests.stopRequested()) {
            if (requests.takeCheckpointRequest()) {
                checkpointAndRestore(requests);
            }
            Thread.sleep(IDLE_MILLIS);
        }
        listener.close();
        System.out.println("stopped after " + requests.count() + " requests");
    }

    private static void checkpointAndRestore(Requests requests) {
        try {
            Core.checkpointRestore();
            System.out.println("checkpointRestore returned, count " + requests.count());
        } catch (CheckpointException | RestoreException e) {
            System.out.println("checkpointRestore failed: " + e + " " + Arrays.toString(e.getSuppressed()));
        }
    }
}
