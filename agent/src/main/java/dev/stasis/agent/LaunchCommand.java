package dev.stasis.agent;

import java.util.Arrays;
import java.util.List;

/**
 * The main class (or jar) and arguments as the launcher reported them in {@code sun.java.command}.
 * That property joins the arguments with spaces, so an argument containing a space is split; the
 * snapshot keeps these for information only.
 */
record LaunchCommand(String mainClass, List<String> arguments) {

    static LaunchCommand of(String command) {
        if (command == null || command.isBlank()) {
            return new LaunchCommand("", List.of());
        }
        List<String> words = Arrays.asList(command.trim().split(" +"));
        return new LaunchCommand(words.get(0), List.copyOf(words.subList(1, words.size())));
    }

    static LaunchCommand ofThisJvm() {
        return of(System.getProperty("sun.java.command", ""));
    }
}
