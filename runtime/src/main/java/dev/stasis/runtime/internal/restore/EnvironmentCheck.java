package dev.stasis.runtime.internal.restore;

import dev.stasis.runtime.internal.snapshot.Manifest;
import dev.stasis.runtime.internal.snapshot.RunEnvironment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeSet;

/**
 * Compares the run a snapshot recorded with the JVM resuming it, and says what differs. Nothing
 * here refuses a resume: the classes are already checked byte for byte ({@link FingerprintCheck}),
 * and a job moved to another directory, class path layout, JDK update or environment on purpose
 * must still resume. What the program read before the checkpoint (a relative path resolved, a
 * variable's value) stays what it was, which is why a difference is worth a line on stderr.
 */
final class EnvironmentCheck {
    private static final int MAX_NAMES = 20;

    private EnvironmentCheck() {
    }

    /** One line each, ready for stderr; empty when nothing that was recorded differs. */
    static List<String> differences(Manifest manifest, Properties now, Map<String, String> environmentNow) {
        RunEnvironment recorded = manifest.environment();
        String id = manifest.snapshotId();
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, String> property : recorded.properties().entrySet()) {
            String was = property.getValue();
            String is = now.getProperty(property.getKey());
            if (!Objects.equals(was, is)) {
                lines.add(propertyLine(id, property.getKey(), was, is));
            }
        }
        String javaNow = now.getProperty("java.version");
        if (manifest.javaVersion() != null && !manifest.javaVersion().equals(javaNow) && !recorded.properties().isEmpty()) {
            lines.add("stasis: snapshot " + id + " was taken on Java " + manifest.javaVersion() + ", this JVM is Java " + javaNow);
        }
        if (!recorded.environment().isEmpty()) {
            environmentLine(id, recorded, environmentNow).ifPresent(lines::add);
        }
        return lines;
    }

    private static String propertyLine(String id, String name, String was, String is) {
        switch (name) {
            case "user.dir":
                return "stasis: snapshot " + id + " was taken in working directory " + was + ", this JVM runs in " + is
                        + ": relative paths the program resolves from now on resolve against " + is
                        + " (run from " + was + " to keep them as they were)";
            case "java.class.path":
                return "stasis: the class path differs from the run that took snapshot " + id + " (was " + was + ", now " + is
                        + "); the classes the snapshot uses were checked and are the same";
            default:
                return "stasis: system property " + name + " was " + was + " in the run that took snapshot " + id
                        + ", is " + is + " now";
        }
    }

    private static java.util.Optional<String> environmentLine(String id, RunEnvironment recorded, Map<String, String> now) {
        TreeSet<String> changed = new TreeSet<>();
        TreeSet<String> gone = new TreeSet<>();
        for (Map.Entry<String, String> variable : recorded.environment().entrySet()) {
            String value = now.get(variable.getKey());
            if (value == null) {
                gone.add(variable.getKey());
            } else if (!recorded.digestOf(value).equals(variable.getValue())) {
                changed.add(variable.getKey());
            }
        }
        TreeSet<String> added = new TreeSet<>(now.keySet());
        added.removeAll(recorded.environment().keySet());
        if (changed.isEmpty() && gone.isEmpty() && added.isEmpty()) {
            return java.util.Optional.empty();
        }
        StringBuilder line = new StringBuilder("stasis: the environment differs from the run that took snapshot ").append(id).append(':');
        appendNames(line, "changed", changed);
        appendNames(line, "new", added);
        appendNames(line, "gone", gone);
        line.append(". The program keeps what it read from the environment before the checkpoint");
        return java.util.Optional.of(line.toString());
    }

    private static void appendNames(StringBuilder line, String what, TreeSet<String> names) {
        if (names.isEmpty()) {
            return;
        }
        if (line.charAt(line.length() - 1) != ':') {
            line.append(';');
        }
        line.append(' ').append(what).append(' ');
        line.append(String.join(", ", names.stream().limit(MAX_NAMES).toList()));
        if (names.size() > MAX_NAMES) {
            line.append(" and ").append(names.size() - MAX_NAMES).append(" more");
        }
    }
}
