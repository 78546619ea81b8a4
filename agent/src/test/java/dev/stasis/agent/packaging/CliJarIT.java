package dev.stasis.agent.packaging;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code java -jar stasis-agent.jar ...} runs the CLI with the relocated picocli. */
class CliJarIT {
    @TempDir
    Path dir;

    private JavaRun.Result stasis(String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-jar", JavaRun.agentJar().toAbsolutePath().toString()));
        command.addAll(List.of(args));
        return JavaRun.run(dir, command);
    }

    @Test
    void version_comes_from_the_jar_manifest() throws Exception {
        JavaRun.Result r = stasis("--version");

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout().strip()).matches("stasis-agent \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    }

    @Test
    void list_of_a_missing_directory_exits_1() throws Exception {
        JavaRun.Result r = stasis("list", "no-such-dir");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).startsWith("stasis: cannot list no-such-dir: no such directory;");
    }
}
