package dev.stasis.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference output of each program: the same command run once, without the agent, to its
 * end. Cached for the whole test JVM, since every sample is deterministic.
 */
final class UninterruptedRuns {

    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final Map<JvmCommand, List<String>> STDOUT = new HashMap<>();

    private UninterruptedRuns() {
    }

    /** The stdout of {@code command} (its agent options ignored) run without the agent. */
    static synchronized List<String> stdoutOf(JvmCommand command) {
        JvmCommand plain = command.withoutAgent();
        List<String> cached = STDOUT.get(plain);
        if (cached != null) {
            return cached;
        }
        try {
            Path directory = Files.createTempDirectory("stasis-it-reference");
            try (ForkedJvm jvm = ForkedJvm.run(plain, directory, "reference", TIMEOUT)) {
                assertThat(jvm.exitCode()).as("the uninterrupted reference run%n%s", jvm.describe()).isZero();
                List<String> stdout = jvm.stdoutLines();
                STDOUT.put(plain, stdout);
                return stdout;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Its {@code RESULT ...} line. */
    static String resultOf(JvmCommand command) {
        return stdoutOf(command).stream().filter(line -> line.startsWith("RESULT ")).findFirst()
                .orElseThrow(() -> new AssertionError("the reference run of " + command.toArgv() + " printed no RESULT"));
    }
}
