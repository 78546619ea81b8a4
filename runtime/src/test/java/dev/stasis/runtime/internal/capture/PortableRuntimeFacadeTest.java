package dev.stasis.runtime.internal.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.rt.Engine;
import dev.stasis.rt.Stasis;
import dev.stasis.runtime.CheckpointException;
import dev.stasis.runtime.RuntimeConfig;
import dev.stasis.runtime.StasisRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The public face, inside a test JVM (whose runner threads make every checkpoint a refusal). */
class PortableRuntimeFacadeTest {
    @TempDir
    Path directory;

    @AfterEach
    void uninstall() {
        Stasis.install(Engine.NONE);
        Stasis.setPending(false);
    }

    @Test
    void creating_the_runtime_installs_its_engine_and_opens_the_directory() {
        StasisRuntime runtime = StasisRuntime.portable(config("never"));

        assertThat(Stasis.engine()).isInstanceOf(PortableEngine.class);
        assertThat(runtime.snapshotDirectory()).isEqualTo(directory);
    }

    @Test
    void restore_never_and_auto_on_an_empty_directory_start_fresh() throws Exception {
        assertThat(StasisRuntime.portable(config("never")).restoreAtStartup()).isEmpty();
        assertThat(StasisRuntime.portable(config("auto")).restoreAtStartup()).isEmpty();
        assertThat(Stasis.isPending()).isFalse();
    }

    @Test
    void a_refused_checkpoint_is_the_last_error_and_leaves_nothing_pending() throws Exception {
        StasisRuntime runtime = StasisRuntime.portable(config("never"));

        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        Thread requester = new Thread(() -> {
            try {
                runtime.checkpoint();
                failure.complete(null);
            } catch (Throwable e) {
                failure.complete(e);
            }
        }, "stasis-test-requester");
        requester.start();
        requester.join();

        assertThat(failure.get()).isInstanceOf(CheckpointException.class)
                .hasMessageStartingWith("checkpoint timed out after 1s: thread main did not reach a poll");

        assertThat(runtime.lastError()).startsWith("checkpoint timed out after 1s: thread main did not reach a poll");
        assertThat(runtime.checkpointCount()).isZero();
        assertThat(Stasis.isPending()).isFalse();
    }

    private RuntimeConfig config(String restore) {
        return new RuntimeConfig(directory, restore, Duration.ofSeconds(1), 3, "a.Main", List.of());
    }
}
