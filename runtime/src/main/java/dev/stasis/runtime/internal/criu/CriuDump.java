package dev.stasis.runtime.internal.criu;

import dev.stasis.runtime.CheckpointException;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One CRIU dump of this JVM, seen from inside it: start the detached dumper, then wait for its verdict. The wait
 * loop is where the dump freezes this thread, so it is also where a restored copy of the process wakes up; it tells
 * the two apart by the marker that only {@code restore} writes, into the committed image, which the original process
 * never looks for again once the dump has ended (and which cannot exist before it ended: the image is committed only
 * after that).
 */
final class CriuDump {
    /** How the dump ended for the process that is running this code. */
    enum Outcome {
        /** CRIU dumped the process and left it running: this is the original process. */
        DUMPED,
        /** This is a process CRIU restored from the image. */
        RESTORED
    }

    private static final long POLL_MILLIS = 2;

    private CriuDump() {
    }

    /**
     * Runs the dump of {@code pid} into {@code temporary} and waits for it; {@code committed} is where the image will
     * be once committed, where a restore leaves its marker.
     *
     * @throws CheckpointException when CRIU failed or did not answer within {@code timeout}; the message names the
     *                             log
     */
    static Outcome run(CriuBinary criu, long pid, Path temporary, Path committed, Duration timeout) throws CheckpointException {
        Path script;
        try {
            script = DumpScripts.write(temporary, criu.executable(), pid, CriuOptions.COMMON);
            launchDetached(script, temporary);
        } catch (IOException e) {
            throw new CheckpointException("cannot start CRIU for the checkpoint (" + e.getMessage() + ") in " + temporary, e);
        }
        return await(temporary.resolve(DumpScripts.STATUS), committed.resolve(CriuImages.RESTORED_MARKER), temporary, timeout);
    }

    /** {@code setsid sh dump.sh}: returns once the launcher has exited and this JVM has reaped it. */
    private static void launchDetached(Path script, Path temporary) throws IOException {
        Process launcher = new ProcessBuilder(List.of("setsid", "/bin/sh", script.toString()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(temporary.resolve(DumpScripts.DUMPER_OUTPUT).toFile()))
                .redirectErrorStream(true)
                .start();
        try {
            if (!launcher.waitFor(30, TimeUnit.SECONDS)) {
                launcher.destroyForcibly();
                throw new IOException("the launcher of " + script + " did not exit within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting " + script, e);
        }
        if (launcher.exitValue() != 0) {
            throw new IOException("setsid /bin/sh " + script + " exited with " + launcher.exitValue() + ": "
                    + readQuietly(temporary.resolve(DumpScripts.DUMPER_OUTPUT)));
        }
    }

    private static Outcome await(Path status, Path restoredMarker, Path temporary, Duration timeout) throws CheckpointException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            // The marker first: in a restored process the status file (of the original's dump) exists as well.
            if (Files.exists(restoredMarker)) {
                return Outcome.RESTORED;
            }
            if (Files.exists(status)) {
                return verdict(status, temporary);
            }
            if (System.nanoTime() > deadline) {
                throw new CheckpointException("CRIU did not finish the dump within " + timeout.toSeconds() + " s; "
                        + "its log: " + temporary.resolve(CriuImages.DUMP_LOG) + " ("
                        + tailOf(temporary.resolve(CriuImages.DUMP_LOG)) + ")");
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CheckpointException("interrupted while waiting for CRIU's dump in " + temporary, e);
            }
        }
    }

    private static Outcome verdict(Path status, Path temporary) throws CheckpointException {
        String code = readQuietly(status).strip();
        if (code.equals("0")) {
            return Outcome.DUMPED;
        }
        throw new CheckpointException("CRIU's dump failed (exit code " + code + "): "
                + tailOf(temporary.resolve(CriuImages.DUMP_LOG)));
    }

    /** The last lines of a CRIU log, for messages. */
    static String tailOf(Path log) {
        String text = readQuietly(log);
        if (text.isEmpty()) {
            return "the log " + log + " is empty or missing";
        }
        List<String> errors = text.lines().filter(line -> line.contains("Error")).toList();
        // CRIU's errors say what failed; without any, its last lines do.
        String lines = errors.isEmpty() ? CriuBinary.lastLines(text, 4)
                : String.join(" | ", errors.subList(Math.max(0, errors.size() - 4), errors.size()));
        return lines;
    }

    static String readQuietly(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }
}
