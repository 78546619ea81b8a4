package dev.stasis.runtime.internal.criu;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The CRIU executable the engine runs, and the checks that it can work here: it exists, this process has the
 * privileges CRIU needs, and {@code criu check} passes. The checks run once, at start, so that {@code engine=criu}
 * fails when the program is launched rather than at its first checkpoint, possibly hours later.
 */
public final class CriuBinary {
    /** Where {@code .ci/setup-criu} puts the wrapper that runs its CRIU 4.x on the host. */
    public static final Path SETUP_WRAPPER = Path.of("/var/cache/stasis/criu/stasis-criu");
    /** Bit of CAP_CHECKPOINT_RESTORE (Linux 5.9) in the capability sets of /proc/PID/status. */
    private static final int CAP_CHECKPOINT_RESTORE = 40;
    private static final int CAP_SYS_ADMIN = 21;
    private static final long CHECK_TIMEOUT_SECONDS = 60;

    private final Path executable;

    private CriuBinary(Path executable) {
        this.executable = executable;
    }

    public Path executable() {
        return executable;
    }

    /**
     * The default when no {@code criu=} is given: the wrapper {@code .ci/setup-criu} writes when it is there, else
     * {@code criu} on the PATH (null when neither exists; {@link #locate} then says what to do).
     */
    public static String defaultLocation() {
        return Files.isExecutable(SETUP_WRAPPER) ? SETUP_WRAPPER.toString() : "criu";
    }

    /**
     * Resolves {@code location} (a path, or a bare name looked up on the PATH) to an executable file.
     *
     * @throws CriuUnavailableException when there is no such executable
     */
    public static CriuBinary locate(String location) throws CriuUnavailableException {
        Optional<Path> found = location.contains("/") ? Optional.of(Path.of(location)) : onPath(location);
        if (found.isEmpty()) {
            throw new CriuUnavailableException("no '" + location + "' on the PATH (" + System.getenv("PATH") + "); "
                    + "install CRIU 4.x (as root: .ci/setup-criu in the Stasis sources sets it up in "
                    + SETUP_WRAPPER.getParent() + ") or give its path with criu=PATH");
        }
        Path path = found.get().toAbsolutePath();
        if (!Files.exists(path)) {
            throw new CriuUnavailableException("the CRIU binary " + path + " does not exist; give an existing one with "
                    + "criu=PATH, or set up CRIU 4.x with .ci/setup-criu (as root)");
        }
        if (Files.isDirectory(path) || !Files.isExecutable(path)) {
            throw new CriuUnavailableException("the CRIU binary " + path + " is not an executable file; give CRIU's "
                    + "executable with criu=PATH");
        }
        return new CriuBinary(path);
    }

    /**
     * Checks that CRIU can checkpoint this process: root or CAP_CHECKPOINT_RESTORE, and {@code criu check} passing.
     *
     * @throws CriuUnavailableException saying which of them fails
     */
    public void checkUsable() throws CriuUnavailableException {
        Privileges privileges = Privileges.ofThisProcess();
        if (!privileges.sufficient()) {
            throw new CriuUnavailableException("CRIU needs root or the capabilities CAP_CHECKPOINT_RESTORE and "
                    + "CAP_SYS_ADMIN, and this JVM runs as uid " + privileges.uid() + " without them; run it as root "
                    + "(or grant them with setcap/ambient capabilities)");
        }
        Outcome check = run(List.of("check"), CHECK_TIMEOUT_SECONDS);
        if (check.exitCode() != 0) {
            throw new CriuUnavailableException("'" + executable + " check' failed (exit code " + check.exitCode()
                    + "): " + lastLines(check.output(), 5) + "; CRIU 4.x is needed (Debian bookworm's 3.17 fails on "
                    + "recent kernels: .ci/setup-criu sets up trixie's)");
        }
    }

    /** Runs CRIU with {@code arguments}, output captured, at most {@code timeoutSeconds}. */
    Outcome run(List<String> arguments, long timeoutSeconds) throws CriuUnavailableException {
        List<String> argv = new ArrayList<>();
        argv.add(executable.toString());
        argv.addAll(arguments);
        try {
            Process process = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            // CRIU's check output is a few lines: reading it to the end cannot fill a pipe and block CRIU.
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new CriuUnavailableException("'" + String.join(" ", argv) + "' did not end within "
                        + timeoutSeconds + " s");
            }
            return new Outcome(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CriuUnavailableException("cannot run " + executable + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CriuUnavailableException("interrupted while running " + executable, e);
        }
    }

    record Outcome(int exitCode, String output) {
    }

    /** The last {@code count} non-blank lines of {@code text}, joined with " | ", for one-line error messages. */
    static String lastLines(String text, int count) {
        List<String> lines = text.lines().filter(line -> !line.isBlank()).toList();
        List<String> tail = lines.subList(Math.max(0, lines.size() - count), lines.size());
        return tail.isEmpty() ? "(no output)" : String.join(" | ", tail);
    }

    private static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String entry : path.split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                Path candidate = Path.of(entry, name);
                if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** This process's uid and effective capabilities, from /proc/self/status. */
    record Privileges(long uid, long effectiveCapabilities) {
        static Privileges ofThisProcess() throws CriuUnavailableException {
            try {
                return parse(Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII));
            } catch (IOException e) {
                throw new CriuUnavailableException("cannot read /proc/self/status to check CRIU's privileges ("
                        + e.getMessage() + "); CRIU works on Linux only", e);
            }
        }

        static Privileges parse(List<String> status) {
            long uid = -1;
            long capabilities = 0;
            for (String line : status) {
                if (line.startsWith("Uid:")) {
                    // real, effective, saved, fs: the effective uid is what the kernel checks
                    uid = Long.parseLong(line.substring(4).trim().split("\\s+")[1]);
                } else if (line.startsWith("CapEff:")) {
                    capabilities = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                }
            }
            return new Privileges(uid, capabilities);
        }

        boolean sufficient() {
            return uid == 0 || (has(CAP_CHECKPOINT_RESTORE) && has(CAP_SYS_ADMIN));
        }

        private boolean has(int capability) {
            return (effectiveCapabilities & (1L << capability)) != 0;
        }
    }
}
