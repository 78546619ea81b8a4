package dev.stasis.runtime.internal.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.rt.Stasis;
import dev.stasis.runtime.internal.registry.ClassFingerprint;
import dev.stasis.runtime.internal.registry.InstrumentedClasses;
import dev.stasis.runtime.internal.restore.SnapshotSource;
import dev.stasis.runtime.internal.restore.StartupRestore;
import dev.stasis.runtime.internal.snapshot.Manifest;
import dev.stasis.runtime.internal.snapshot.SnapshotCodec;
import dev.stasis.runtime.internal.store.SnapshotFile;
import dev.stasis.runtime.internal.store.SnapshotStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The whole portable cycle in one JVM: capture a running program, write it, read it back, rewind a new thread into it. */
class CheckpointAndRestoreTest {
    private static final String PROGRAM = "dev/stasis/runtime/internal/capture/ProtocolProgram";
    @RegisterExtension
    final InstalledEngine installed = InstalledEngine.withProtocolProgram();
    private final InstrumentedClasses registry = installed.registry;
    private final PortableEngine engine = installed.engine;
    private final ThreadGroup programGroup = new ThreadGroup("program");
    private final CheckpointCoordinator coordinator = new CheckpointCoordinator(engine,
            ApplicationThreads.matching(thread -> thread.getThreadGroup() == programGroup));

    @TempDir
    Path directory;

    @BeforeEach
    void fingerprintTheProgram() throws IOException {
        registry.recordClass(PROGRAM, fingerprintOf(PROGRAM));
    }

    @Test
    void a_snapshot_written_mid_loop_resumes_on_a_new_thread_to_the_uninterrupted_result() throws Exception {
        SnapshotStore store = SnapshotStore.open(directory);
        SnapshotWriter writer = new SnapshotWriter(store, registry);
        Counter.touch();
        ProtocolProgram.n = 1000;
        CompletableFuture<SnapshotFile> written = new CompletableFuture<>();
        ProtocolProgram.onStep = i -> {
            if (i == 600) {
                Counter.value = 7;
                Thread target = Thread.currentThread();
                new Thread(programGroup.getParent(), () -> {
                    try {
                        written.complete(coordinator.capture(target, Duration.ofSeconds(20), frames -> writer.write(
                                new SnapshotWriter.Origin("run-1", "dev", "a.Main", List.of("x")),
                                engine.initializationOrder(), target, frames, List.of())).result());
                    } catch (Throwable e) {
                        written.completeExceptionally(e);
                    }
                }, "stasis-test-checkpointer").start();
                while (!engine.isRequested() && !written.isDone()) { // requested, not just seen pending here
                    Thread.onSpinWait();
                }
            }
        };
        Thread program = new Thread(programGroup, ProtocolProgram::main, "app-main");
        program.start();
        program.join(20_000);
        SnapshotFile file = written.get(10, TimeUnit.SECONDS);
        assertThat(ProtocolProgram.result).isEqualTo(ProtocolProgram.sumOfSquaresBelow(1000));

        Manifest manifest = SnapshotCodec.readManifest(file.path());
        assertThat(manifest.runId()).isEqualTo("run-1");
        assertThat(manifest.threads()).containsExactly("app-main:2");
        assertThat(manifest.initOrder()).containsExactly("dev/stasis/runtime/internal/capture/CheckpointAndRestoreTest$Counter");
        assertThat(manifest.fingerprints()).containsEntry(PROGRAM, fingerprintOf(PROGRAM));

        ProtocolProgram.result = 0;
        ProtocolProgram.onStep = i -> { };
        Counter.value = 0;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PortableEngine fresh = new PortableEngine(registry);
        Stasis.install(fresh);
        CompletableFuture<Optional<StartupRestore.Resumed>> resumed = new CompletableFuture<>();
        Thread relaunched = new Thread(() -> {
            try {
                resumed.complete(new StartupRestore(SnapshotSource.of(store), fresh,
                        getClass().getClassLoader(), new PrintStream(err, true, StandardCharsets.UTF_8))
                        .restore(file.id(), "a.Main"));
                ProtocolProgram.main();
            } catch (Throwable e) {
                resumed.completeExceptionally(e);
            }
        }, "app-main");
        relaunched.start();
        relaunched.join(20_000);

        assertThat(resumed.get(10, TimeUnit.SECONDS)).contains(new StartupRestore.Resumed(file.id(), "run-1"));
        assertThat(Counter.value).as("static restored").isEqualTo(7);
        assertThat(ProtocolProgram.result).isEqualTo(ProtocolProgram.sumOfSquaresBelow(1000));
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("stasis: resumed from snapshot " + file.id() + " (taken ")
                .contains(", 2 frames, " + file.bytes() + " bytes, restored in ");
        assertThat(Stasis.isPending()).isFalse();
    }

    private static String fingerprintOf(String internalName) throws IOException {
        try (InputStream in = ClassLoader.getSystemResourceAsStream(internalName + ".class")) {
            return ClassFingerprint.of(in.readAllBytes());
        }
    }

    /** An instrumented class with state: its initialiser carries the instrumenter's prologue. */
    static final class Counter {
        static int value;

        static {
            if (!Stasis.initializing(Counter.class)) {
                value = 1;
            }
        }

        static void touch() {
        }
    }
}
