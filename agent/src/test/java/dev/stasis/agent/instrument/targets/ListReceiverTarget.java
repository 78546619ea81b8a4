package dev.stasis.agent.instrument.targets;

import java.util.ArrayList;

/** An invoke whose receiver is typed as a class of another package: its call point stashes it. */
public final class ListReceiverTarget {
    private ListReceiverTarget() {
    }

    public static int run() {
        ArrayList<String> names = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            names.add("n" + i);
        }
        return names.size();
    }
}
