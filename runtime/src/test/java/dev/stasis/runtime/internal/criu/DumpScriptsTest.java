package dev.stasis.runtime.internal.criu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The action script CRIU runs while the process is frozen, run here on a shell that holds files open. */
class DumpScriptsTest {

    @TempDir
    Path dir;

    @Test
    void quoting_keeps_any_path_one_word() throws Exception {
        String path = dir.resolve("it's a \"dir\" $HOME `x`").toString();
        Process echo = new ProcessBuilder("/bin/sh", "-c", "printf %s " + DumpScripts.quote(path)).start();
        assertThat(new String(echo.getInputStream().readAllBytes())).isEqualTo(path);
    }

    @Test
    void post_dump_records_the_files_open_for_writing_with_their_sizes_and_nothing_else() throws Exception {
        Path image = Files.createDirectory(dir.resolve("image"));
        Path written = Files.writeString(dir.resolve("out.txt"), "12345");
        Path appended = Files.writeString(dir.resolve("log.txt"), "123");
        Path both = Files.writeString(dir.resolve("data.bin"), "1234567");
        Path read = Files.writeString(dir.resolve("in.txt"), "input");
        // fds 3-6: written (1<>), appended (>>), read-write (<>), read only (<)
        Process holder = new ProcessBuilder("/bin/sh", "-c", "exec 3>>'" + written + "' 4>>'" + appended + "' 5<>'" + both
                + "' 6<'" + read + "'; echo ready; exec sleep 60").start();
        try {
            assertThat(new String(holder.getInputStream().readNBytes(6))).isEqualTo("ready\n");
            DumpScripts.write(image, Path.of("/bin/true"), holder.pid(), List.of());
            runAction(image, "pre-dump", holder.pid());
            assertThat(image.resolve(CriuImages.WRITTEN_FILES)).as("it acts on post-dump only").doesNotExist();
            runAction(image, "post-dump", holder.pid());
        } finally {
            holder.destroyForcibly().waitFor();
        }
        assertThat(Files.readAllLines(image.resolve(CriuImages.WRITTEN_FILES))).containsExactlyInAnyOrder(
                "5\t" + written, "3\t" + appended, "7\t" + both);
    }

    private static void runAction(Path image, String action, long pid) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(image.resolve(DumpScripts.ACTION_SCRIPT).toString())
                .redirectErrorStream(true);
        builder.environment().put("CRTOOLS_SCRIPT_ACTION", action);
        builder.environment().put("CRTOOLS_INIT_PID", Long.toString(pid));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }
}
