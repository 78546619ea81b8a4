package dev.stasis.agent.instrument.targets;

import java.util.List;

/** A class with its own static initialiser, and an interface with a constant. */
public final class ClinitTarget {
    public static final List<String> NAMES = List.of("a", "b");

    private ClinitTarget() {
    }

    public static String run() {
        return NAMES + " " + Constants.ANSWER.length();
    }

    interface Constants {
        String ANSWER = String.valueOf(42L * ClinitTarget.NAMES.size());
    }
}
