package dev.stasis.runtime.internal.restore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.runtime.internal.snapshot.Manifest;
import dev.stasis.runtime.internal.snapshot.RunEnvironment;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class EnvironmentCheckTest {
    private static final String SALT = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
    private static final RunEnvironment SALTED = new RunEnvironment(Map.of(), SALT, Map.of());

    private static Manifest recorded(RunEnvironment environment) {
        return new Manifest(Manifest.FORMAT_VERSION, "000007", "run-1", 1L, "dev", "17.0.15", "a.Main", List.of(),
                Map.of(), List.of(), List.of("main:1"), environment);
    }

    private static RunEnvironment then() {
        return new RunEnvironment(Map.of("user.dir", "/srv/job", "java.class.path", "job.jar", "java.home", "/opt/jdk"), SALT,
                Map.of("HOME", SALTED.digestOf("/home/job"), "DB_URL", SALTED.digestOf("jdbc:one"), "OLD", SALTED.digestOf("x")));
    }

    private static Properties now(String userDir, String classPath) {
        Properties p = new Properties();
        p.setProperty("user.dir", userDir);
        p.setProperty("java.class.path", classPath);
        p.setProperty("java.home", "/opt/jdk");
        p.setProperty("java.version", "17.0.15");
        return p;
    }

    @Test
    void the_same_surroundings_report_nothing() {
        assertThat(EnvironmentCheck.differences(recorded(then()), now("/srv/job", "job.jar"),
                Map.of("HOME", "/home/job", "DB_URL", "jdbc:one", "OLD", "x"))).isEmpty();
    }

    @Test
    void a_changed_working_directory_and_class_path_are_each_reported_with_what_they_mean() {
        List<String> lines = EnvironmentCheck.differences(recorded(then()), now("/tmp/elsewhere", "build/job.jar"),
                Map.of("HOME", "/home/job", "DB_URL", "jdbc:one", "OLD", "x"));

        assertThat(lines).containsExactlyInAnyOrder(
                "stasis: snapshot 000007 was taken in working directory /srv/job, this JVM runs in /tmp/elsewhere: relative"
                        + " paths the program resolves from now on resolve against /tmp/elsewhere (run from /srv/job to keep them as they were)",
                "stasis: the class path differs from the run that took snapshot 000007 (was job.jar, now build/job.jar); the"
                        + " classes the snapshot uses were checked and are the same");
    }

    @Test
    void environment_changes_are_named_without_values() {
        List<String> lines = EnvironmentCheck.differences(recorded(then()), now("/srv/job", "job.jar"),
                Map.of("HOME", "/home/job", "DB_URL", "jdbc:two", "NEW", "y"));

        assertThat(lines).containsExactly("stasis: the environment differs from the run that took snapshot 000007: changed"
                + " DB_URL; new NEW; gone OLD. The program keeps what it read from the environment before the checkpoint");
        assertThat(lines.get(0)).doesNotContain("jdbc");
    }

    @Test
    void another_java_version_is_reported() {
        Properties now = now("/srv/job", "job.jar");
        now.setProperty("java.version", "25.0.1");

        assertThat(EnvironmentCheck.differences(recorded(then()), now, Map.of("HOME", "/home/job", "DB_URL", "jdbc:one", "OLD", "x")))
                .containsExactly("stasis: snapshot 000007 was taken on Java 17.0.15, this JVM is Java 25.0.1");
    }

    @Test
    void a_snapshot_that_recorded_nothing_reports_nothing() {
        assertThat(EnvironmentCheck.differences(recorded(RunEnvironment.NONE), now("/x", "y"), Map.of("A", "b"))).isEmpty();
    }
}
