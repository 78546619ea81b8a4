package dev.stasis.runtime.internal.criu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The two shell scripts one dump runs, written into its image directory.
 *
 * <p>{@code dump.sh} runs CRIU outside the JVM's process tree: CRIU dumps the whole tree under the pid it is given,
 * so a CRIU that the JVM started would try to dump itself. The JVM starts the script under {@code setsid}; the script
 * starts itself again in the background and exits, and the background copy waits until the JVM has reaped the first
 * one (a zombie child would be dumped and restored with the JVM) before it runs CRIU. It writes CRIU's exit code to
 * {@code status} (atomically, by rename), which the JVM waits for.
 *
 * <p>{@code post-dump.sh} is CRIU's action script. It runs while the JVM is still frozen, so what it records is exactly
 * the state of the image: the size of every regular file the JVM had open for writing (restore truncates them back,
 * so output written after the checkpoint by the killed run is not left behind, and CRIU's own size check passes), and
 * a copy of the JVM's hsperfdata file, which CRIU maps back at restore but which any JVM started in between deletes
 * once the original process is gone.
 */
final class DumpScripts {
    static final String DUMP_SCRIPT = "dump.sh";
    static final String ACTION_SCRIPT = "post-dump.sh";
    static final String STATUS = "status";
    static final String DUMPER_OUTPUT = "dumper.out";

    private DumpScripts() {
    }

    /** Writes both scripts into {@code imageDirectory}; returns the path of {@code dump.sh}. */
    static Path write(Path imageDirectory, Path criu, long pid, List<String> criuOptions) throws IOException {
        String dir = quote(imageDirectory.toString());
        Path action = imageDirectory.resolve(ACTION_SCRIPT);
        Path dump = imageDirectory.resolve(DUMP_SCRIPT);
        writeExecutable(action, actionScript(dir));
        writeExecutable(dump, dumpScript(dir, quote(dump.toString()), quote(criu.toString()), pid,
                quote(action.toString()), criuOptions.stream().map(DumpScripts::quote).collect(Collectors.joining(" "))));
        return dump;
    }

    private static String dumpScript(String dir, String self, String criu, long pid, String action, String options) {
        return "#!/bin/sh\n"
                + "# Written by Stasis for one checkpoint: dumps JVM " + pid + " with CRIU from outside its process tree.\n"
                + "if [ \"$1\" != dumper ]; then\n"
                + "  /bin/sh " + self + " dumper \"$$\" </dev/null >>" + dir + "/" + DUMPER_OUTPUT + " 2>&1 &\n"
                + "  exit 0\n"
                + "fi\n"
                + "while [ -e /proc/$2 ]; do sleep 0.002; done\n"
                + criu + " dump -t " + pid + " -D " + dir + " -o " + CriuImages.DUMP_LOG + " --leave-running"
                + " --action-script " + action + " " + options + "\n"
                + "echo $? >" + dir + "/" + STATUS + ".tmp && mv " + dir + "/" + STATUS + ".tmp " + dir + "/" + STATUS + "\n";
    }

    private static String actionScript(String dir) {
        return "#!/bin/sh\n"
                + "# CRIU's action script (written by Stasis): records, while the JVM is still frozen, what restore needs.\n"
                + "[ \"$CRTOOLS_SCRIPT_ACTION\" = post-dump ] || exit 0\n"
                + "pid=$CRTOOLS_INIT_PID\n"
                + "dir=" + dir + "\n"
                + ": >\"$dir/" + CriuImages.WRITTEN_FILES + ".tmp\" || exit 1\n"
                + "for fd in /proc/$pid/fd/*; do\n"
                + "  target=$(readlink \"$fd\") || continue\n"
                + "  [ -f \"$target\" ] || continue\n"
                + "  flags=$(sed -n 's/^flags:[[:space:]]*//p' /proc/$pid/fdinfo/${fd##*/}) || continue\n"
                // O_WRONLY is 1, O_RDWR 2; the flags are printed in octal, which a leading 0 makes sh read as octal
                + "  [ $((0$flags & 3)) -ne 0 ] || continue\n"
                + "  printf '%s\\t%s\\n' \"$(stat -c %s \"$target\")\" \"$target\" >>\"$dir/" + CriuImages.WRITTEN_FILES + ".tmp\" || exit 1\n"
                + "done\n"
                + "mv \"$dir/" + CriuImages.WRITTEN_FILES + ".tmp\" \"$dir/" + CriuImages.WRITTEN_FILES + "\" || exit 1\n"
                + "perf=$(grep -o '/[^ ]*/hsperfdata_[^/ ]*/[0-9]*$' /proc/$pid/maps | head -1)\n"
                + "if [ -n \"$perf\" ]; then\n"
                + "  cp -p \"$perf\" \"$dir/" + CriuImages.PERF_DATA + "\" && printf '%s' \"$perf\" >\"$dir/"
                + CriuImages.PERF_DATA_PATH + "\" || exit 1\n"
                + "fi\n"
                + "exit 0\n";
    }

    private static void writeExecutable(Path file, String content) throws IOException {
        Files.writeString(file, content, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    }

    /** A POSIX shell single-quoted word: nothing inside is interpreted. */
    static String quote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
