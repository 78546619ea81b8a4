package dev.stasis.runtime.internal.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunEnvironmentTest {
    private static final String SECRET = "hunter2-but-longer-and-not-guessable";

    @TempDir
    Path dir;

    private static Properties properties() {
        Properties p = new Properties();
        p.setProperty("user.dir", "/srv/job");
        p.setProperty("java.class.path", "job.jar:lib/dep.jar");
        p.setProperty("java.home", "/opt/jdk");
        p.setProperty("some.other", "not recorded");
        return p;
    }

    @Test
    void records_the_chosen_properties_and_environment_digests_never_the_values() {
        RunEnvironment env = RunEnvironment.of(properties(), Map.of("DB_PASSWORD", SECRET, "HOME", "/home/job"), new SecureRandom());

        assertThat(env.properties()).containsOnly(Map.entry("user.dir", "/srv/job"),
                Map.entry("java.class.path", "job.jar:lib/dep.jar"), Map.entry("java.home", "/opt/jdk"));
        assertThat(env.environment()).containsOnlyKeys("DB_PASSWORD", "HOME");
        assertThat(env.environment().get("DB_PASSWORD")).matches("[0-9a-f]{64}").doesNotContain(SECRET)
                .isEqualTo(env.digestOf(SECRET)).isNotEqualTo(env.digestOf(SECRET + "x"));
        assertThat(env.salt()).matches("[0-9a-f]{32}");
    }

    @Test
    void two_runs_salt_differently_so_equal_values_do_not_show_as_equal() {
        RunEnvironment one = RunEnvironment.of(properties(), Map.of("TOKEN", SECRET), new SecureRandom());
        RunEnvironment two = RunEnvironment.of(properties(), Map.of("TOKEN", SECRET), new SecureRandom());

        assertThat(one.salt()).isNotEqualTo(two.salt());
        assertThat(one.environment().get("TOKEN")).isNotEqualTo(two.environment().get("TOKEN"));
    }

    @Test
    void the_manifest_keeps_it_through_a_snapshot_file_and_the_secret_is_not_in_the_file() throws IOException {
        RunEnvironment env = RunEnvironment.of(properties(), Map.of("DB_PASSWORD", SECRET), new SecureRandom());
        Manifest base = Snapshots.manifest();
        Manifest manifest = new Manifest(base.formatVersion(), base.snapshotId(), base.runId(), base.createdAtMillis(),
                base.agentVersion(), base.javaVersion(), base.mainClass(), base.arguments(), base.fingerprints(),
                base.initOrder(), base.threads(), env);
        Path file = dir.resolve("s.stasis");
        try (OutputStream out = Files.newOutputStream(file)) {
            SnapshotCodec.write(out, manifest, new SnapshotContent(List.of(), List.of()));
        }

        Manifest back = SnapshotCodec.readManifest(file);

        assertThat(back.formatVersion()).isEqualTo(Manifest.FORMAT_VERSION);
        assertThat(back.environment()).isEqualTo(env);
        assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).doesNotContain(SECRET).contains("/srv/job");
    }

    @Test
    void a_manifest_written_without_an_environment_reads_back_with_none() throws IOException {
        Path file = Snapshots.write(dir.resolve("s.stasis"), new SnapshotContent(List.of(), List.of()));

        assertThat(SnapshotCodec.readManifest(file).environment()).isEqualTo(RunEnvironment.NONE);
    }
}
