package dev.stasis.agent;

import dev.stasis.runtime.ChangedInputs;
import dev.stasis.runtime.Compression;
import dev.stasis.runtime.internal.criu.CriuBinary;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The options after {@code -javaagent:stasis-agent.jar=}: comma-separated {@code key=value} pairs.
 * A mistake stops the JVM at start (see {@link StasisAgent}), because running without the
 * protection the user asked for, or resuming the wrong state, is worse than not starting.
 *
 * @param directory where snapshots live
 * @param restore   {@code auto}, {@code never}, {@code latest} or a snapshot id
 * @param interval  time between periodic checkpoints, or null when off
 * @param onTerm    what SIGTERM does
 * @param timeout   how long a checkpoint waits for the application to reach a safepoint
 * @param keep      how many snapshots to retain
 * @param include   internal-name prefixes ({@code com/acme}) of the classes to instrument; empty = all
 * @param exclude   internal-name prefixes of classes never to instrument; wins over include
 * @param compression how snapshot data blocks are stored
 * @param key       the HMAC-SHA256 key file that signs snapshots, or null for unsigned ones; checked when the
 *                  runtime starts (it must be the user's own, mode 0600)
 * @param rebind    on resume, bind the program's server sockets to their address and port again (else they come back closed)
 * @param changedInputs whether a resume proceeds when an input file the program had open changed since the checkpoint
 * @param engine    what takes the checkpoints
 * @param criu      the CRIU executable for {@code engine=criu}: a path, or a name looked up on the PATH
 */
public record AgentOptions(Path directory, String restore, Duration interval, TermAction onTerm,
                           Duration timeout, int keep, List<String> include, List<String> exclude,
                           Compression compression, Path key, boolean rebind, ChangedInputs changedInputs,
                           Engine engine, String criu) {

    /** What takes the checkpoints. */
    public enum Engine {
        /** Stasis's own: the application's state, restorable by a relaunch on any JDK 17+. */
        PORTABLE,
        /** A CRIU dump of the whole process; {@code restore} brings it back. */
        CRIU,
        /** The JDK's own {@code jdk.crac}, on a CRaC build of the JDK. */
        CRAC
    }

    /** What a SIGTERM does to a process running with the agent. */
    public enum TermAction {
        /** The JVM exits as it would without the agent; the run is not marked finished. */
        EXIT,
        /** A checkpoint is taken first, then the JVM exits with 143. */
        CHECKPOINT
    }

    private static final List<String> NAMES =
            List.of("dir", "restore", "interval", "onterm", "timeout", "keep", "include", "exclude", "compress", "key", "rebind",
                    "changedInputs", "engine", "criu");
    private static final String VALID = String.join(", ", NAMES);
    private static final Pattern SNAPSHOT_ID = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern PACKAGE_PREFIX =
            Pattern.compile("\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*(\\.\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*)*");

    public AgentOptions {
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
    }

    /** Changed input files refuse a resume; the portable engine. */
    public AgentOptions(Path directory, String restore, Duration interval, TermAction onTerm, Duration timeout, int keep,
                        List<String> include, List<String> exclude, Compression compression, Path key, boolean rebind) {
        this(directory, restore, interval, onTerm, timeout, keep, include, exclude, compression, key, rebind,
                ChangedInputs.REFUSE, Engine.PORTABLE, CriuBinary.defaultLocation());
    }

    /** The options when none are given, with snapshots in {@code .stasis} under {@code workingDirectory}. */
    public static AgentOptions defaults(Path workingDirectory) {
        return new AgentOptions(workingDirectory.resolve(".stasis"), "auto", null, TermAction.EXIT,
                Duration.ofSeconds(10), 3, List.of(), List.of(), Compression.NONE, null, true,
                ChangedInputs.REFUSE, Engine.PORTABLE, CriuBinary.defaultLocation());
    }

    /**
     * Parses the agent argument string ({@code null} or empty means all defaults); a relative
     * {@code dir} is resolved against {@code workingDirectory}.
     */
    public static AgentOptions parse(String text, Path workingDirectory) throws AgentOptionsException {
        AgentOptions o = defaults(workingDirectory);
        if (text == null || text.isBlank()) {
            return o;
        }
        Set<String> seen = new HashSet<>();
        for (String entry : text.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            String key = (eq < 0 ? entry : entry.substring(0, eq)).trim();
            String value = eq < 0 ? "" : entry.substring(eq + 1).trim();
            if (!NAMES.contains(key)) {
                throw new AgentOptionsException("unknown option '" + key + "' in -javaagent options; valid options: " + VALID);
            }
            if (!seen.add(key)) {
                throw new AgentOptionsException("option '" + key + "' is given twice in -javaagent options; give it once, e.g. " + example(key));
            }
            if (value.isEmpty()) {
                throw new AgentOptionsException("option '" + key + "' in -javaagent options has no value; e.g. " + example(key));
            }
            o = with(o, key, value, workingDirectory);
        }
        return o;
    }

    private static AgentOptions with(AgentOptions o, String key, String value, Path workingDirectory) throws AgentOptionsException {
        Path dir = o.directory;
        String restore = o.restore;
        Duration interval = o.interval;
        TermAction onTerm = o.onTerm;
        Duration timeout = o.timeout;
        int keep = o.keep;
        List<String> include = o.include;
        List<String> exclude = o.exclude;
        Compression compression = o.compression;
        Path keyFile = o.key;
        boolean rebind = o.rebind;
        ChangedInputs changedInputs = o.changedInputs;
        Engine engine = o.engine;
        String criu = o.criu;
        switch (key) {
            case "dir" -> dir = path(key, value, workingDirectory);
            case "restore" -> restore = restore(value);
            case "interval" -> interval = duration(key, value);
            case "onterm" -> onTerm = termAction(value);
            case "timeout" -> timeout = duration(key, value);
            case "keep" -> keep = keep(value);
            case "include" -> include = prefixes(key, value);
            case "exclude" -> exclude = prefixes(key, value);
            case "compress" -> compression = compression(value);
            case "key" -> keyFile = path(key, value, workingDirectory);
            case "rebind" -> rebind = bool(key, value);
            case "changedInputs" -> changedInputs = changedInputs(value);
            case "engine" -> engine = engine(value);
            case "criu" -> criu = value.contains("/") ? path(key, value, workingDirectory).toString() : value;
            default -> throw new AgentOptionsException("unknown option '" + key + "' in -javaagent options; valid options: " + VALID);
        }
        return new AgentOptions(dir, restore, interval, onTerm, timeout, keep, include, exclude, compression, keyFile, rebind,
                changedInputs, engine, criu);
    }

    private static ChangedInputs changedInputs(String value) throws AgentOptionsException {
        switch (value) {
            case "refuse":
                return ChangedInputs.REFUSE;
            case "accept":
                return ChangedInputs.ACCEPT;
            default:
                throw bad("changedInputs", "'" + value + "' is neither refuse nor accept");
        }
    }

    private static Path path(String key, String value, Path workingDirectory) throws AgentOptionsException {
        try {
            return workingDirectory.resolve(value).normalize();
        } catch (InvalidPathException e) {
            throw bad(key, "'" + value + "' is not a usable path (" + e.getReason() + ")");
        }
    }

    private static boolean bool(String key, String value) throws AgentOptionsException {
        switch (value) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                throw bad(key, "'" + value + "' is neither true nor false");
        }
    }

    private static Compression compression(String value) throws AgentOptionsException {
        switch (value) {
            case "lz4":
                return Compression.LZ4;
            case "none":
                return Compression.NONE;
            default:
                throw bad("compress", "'" + value + "' is neither lz4 nor none");
        }
    }

    private static Engine engine(String value) throws AgentOptionsException {
        switch (value) {
            case "portable":
                return Engine.PORTABLE;
            case "criu":
                return Engine.CRIU;
            case "crac":
                return Engine.CRAC;
            default:
                throw bad("engine", "'" + value + "' is none of portable, criu, crac");
        }
    }

    private static String restore(String value) throws AgentOptionsException {
        if (!SNAPSHOT_ID.matcher(value).matches()) {
            throw bad("restore", "'" + value + "' is neither auto, never, latest nor a snapshot id (letters, digits, '.', '_', '-')");
        }
        return value;
    }

    private static Duration duration(String key, String value) throws AgentOptionsException {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw bad(key, e.getMessage());
        }
    }

    private static TermAction termAction(String value) throws AgentOptionsException {
        switch (value) {
            case "checkpoint":
                return TermAction.CHECKPOINT;
            case "exit":
                return TermAction.EXIT;
            default:
                throw bad("onterm", "'" + value + "' is neither checkpoint nor exit");
        }
    }

    private static int keep(String value) throws AgentOptionsException {
        int keep;
        try {
            keep = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw bad("keep", "'" + value + "' is not a whole number");
        }
        if (keep < 1) {
            throw bad("keep", keep + " keeps no snapshot to resume from; it must be at least 1");
        }
        return keep;
    }

    private static List<String> prefixes(String key, String value) throws AgentOptionsException {
        List<String> prefixes = new ArrayList<>();
        for (String prefix : value.split("[;|]")) {
            String p = prefix.trim();
            if (p.isEmpty()) {
                continue;
            }
            if (!PACKAGE_PREFIX.matcher(p).matches()) {
                throw bad(key, "'" + p + "' is not a package prefix (Java names separated by dots; several separated by ';' or '|')");
            }
            prefixes.add(p.replace('.', '/'));
        }
        if (prefixes.isEmpty()) {
            throw bad(key, "no package prefix given");
        }
        return prefixes;
    }

    private static AgentOptionsException bad(String key, String problem) {
        return new AgentOptionsException("bad value for option '" + key + "' in -javaagent options: " + problem + "; e.g. " + example(key));
    }

    private static String example(String key) {
        switch (key) {
            case "dir":
                return "dir=/var/lib/myjob";
            case "restore":
                return "restore=never";
            case "interval":
                return "interval=30s";
            case "onterm":
                return "onterm=checkpoint";
            case "timeout":
                return "timeout=10s";
            case "keep":
                return "keep=3";
            case "include":
                return "include=com.acme;org.example.job";
            case "compress":
                return "compress=lz4";
            case "key":
                return "key=/etc/stasis/myjob.key";
            case "rebind":
                return "rebind=false";
            case "changedInputs":
                return "changedInputs=accept";
            case "engine":
                return "engine=criu";
            case "criu":
                return "criu=/usr/sbin/criu";
            default:
                return "exclude=com.acme.generated";
        }
    }
}
