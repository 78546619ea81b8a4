package dev.stasis.agent.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import static org.assertj.core.api.Assertions.assertThat;

/** Forks JVMs on the built agent jar, on each JDK the project supports. */
final class JavaRun {
    record Result(int exitCode, String stdout, String stderr) {
    }

    private JavaRun() {
    }

    static Path agentJar() {
        Path jar = Path.of(System.getProperty("stasis.agent.jar", "target/stasis-agent.jar"));
        assertThat(jar).as("the shaded agent jar (run mvn verify)").isRegularFile();
        return jar;
    }

    /** The java launchers to test with: this JVM's and, when installed, JDK 25. */
    static Stream<String> javas() {
        List<String> javas = new ArrayList<>();
        javas.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String jdk25 = System.getProperty("stasis.jdk25.java", "");
        if (!jdk25.isEmpty() && Files.isExecutable(Path.of(jdk25))) {
            javas.add(jdk25);
        }
        return javas.stream();
    }

    /** Compiles one default-package source file into {@code dir} for Java 17. */
    static void compile(Path dir, String className, String source) throws IOException {
        Path file = dir.resolve(className + ".java");
        Files.writeString(file, source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int code = javac.run(null, null, null, "--release", "17", "-d", dir.toString(), file.toString());
        assertThat(code).as("javac of " + className).isZero();
    }

    static Result run(Path workDir, List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(workDir, "stdout", ".txt");
        Path err = Files.createTempFile(workDir, "stderr", ".txt");
        Process p = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("no exit within 2 minutes: " + command);
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
