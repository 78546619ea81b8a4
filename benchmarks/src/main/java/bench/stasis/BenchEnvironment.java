package bench.stasis;

import java.nio.file.Files;
import java.nio.file.Path;

/** What every harness that forks JVMs needs: the java that runs it, and the jars benchmarks/run.sh names. */
public final class BenchEnvironment {
    private BenchEnvironment() {
    }

    /** The java running this harness, so the forked JVMs use the same JDK. */
    public static String javaExecutable() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** The absolute path of the jar a system property names; refuses a missing one, saying who sets it. */
    public static Path existingJar(String property) {
        String value = System.getProperty(property);
        if (value == null || !Files.isRegularFile(Path.of(value))) {
            throw new IllegalArgumentException("-D" + property + " must name an existing jar (got " + value
                    + "); benchmarks/run.sh sets it after building the project.");
        }
        return Path.of(value).toAbsolutePath();
    }
}
