package dev.stasis.runtime.internal.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stasis.rt.Frame;
import dev.stasis.rt.Stasis;
import dev.stasis.runtime.RestoreException;
import dev.stasis.runtime.internal.capture.InstalledEngine;
import dev.stasis.runtime.internal.capture.PortableEngine;
import dev.stasis.runtime.internal.snapshot.SnapshotContent;
import dev.stasis.runtime.internal.snapshot.ThreadCapture;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class StartupRestoreTest {
    private static final String REPLAYED = "dev/stasis/runtime/internal/restore/StartupRestoreTest$Replayed";
    private static final String CANARY = "dev/stasis/runtime/internal/restore/StartupRestoreTest$Canary";
    private static final Frame BOTTOM = new Frame("a/Main.main([Ljava/lang/String;)V", 1, 0, 0, 0, 0, 1);
    private static final Frame TOP = new Frame("a/Main.work(I)V", 2, 1, 0, 0, 0, 0);

    static volatile boolean canaryInitialised;

    @RegisterExtension
    final InstalledEngine installed = InstalledEngine.alone();
    private final PortableEngine engine = installed.engine;
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final FakeSnapshotSource source = new FakeSnapshotSource();
    private final StartupRestore restore = new StartupRestore(source, engine, getClass().getClassLoader(),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    @Test
    void resumes_a_snapshot_skipping_recorded_initialisers_and_rewinds_the_main_thread() throws Exception {
        source.add(FakeSnapshotSource.manifest("000002", "run-a",
                        Map.of(REPLAYED, FingerprintCheckTest.fingerprintOf(REPLAYED)), List.of(REPLAYED)),
                new SnapshotContent(List.of(), List.of(new ThreadCapture("main", false, 5, List.of(BOTTOM, TOP)))));

        List<Object> entered = onOwnThread(() -> {
            Optional<StartupRestore.Resumed> resumed = restore.restore("auto", "a.Main");
            List<Object> seen = new ArrayList<>();
            seen.add(resumed.orElseThrow());
            seen.add(Stasis.isPending());
            seen.add(engine.enter(BOTTOM.method));
            seen.add(engine.enter(TOP.method));
            seen.add(Stasis.isPending());
            return seen;
        });

        assertThat(entered).containsExactly(new StartupRestore.Resumed("000002", "run-a"), true, BOTTOM, TOP, false);
        assertThat(Replayed.value).as("original initialiser skipped").isZero();
        assertThat(source.contentReaders).containsExactly("stasis-restore-reader");
        assertThat(err.toString(StandardCharsets.UTF_8)).matches("stasis: resumed from snapshot 000002 "
                + "\\(taken 2025-11-26T06:53:20Z, 2 frames, 1234 bytes, restored in \\d+ ms\\)\\R");
    }

    @Test
    void refuses_changed_classes_before_initialising_any() {
        source.add(FakeSnapshotSource.manifest("000003", "run-a", Map.of(CANARY, "00000000000000000000000000000000"),
                List.of(CANARY)), new SnapshotContent(List.of(), List.of()));

        assertThatThrownBy(() -> restore.restore("auto", "a.Main"))
                .isInstanceOf(RestoreException.class)
                .hasMessage("snapshot 000003 was taken with different classes: " + CANARY + " (changed). "
                        + "Start fresh with restore=never, or restore the old classes.");
        assertThat(canaryInitialised).isFalse();
    }

    @Test
    void refuses_a_snapshot_of_another_main_class() {
        source.add(FakeSnapshotSource.manifest("000003", "run-a", Map.of(), List.of()),
                new SnapshotContent(List.of(), List.of()));

        assertThatThrownBy(() -> restore.restore("auto", "b.Other"))
                .isInstanceOf(RestoreException.class)
                .hasMessage("snapshot 000003 was taken from main class a.Main, but this JVM runs b.Other. "
                        + "Run a.Main, or start fresh with restore=never.");
    }

    @Test
    void starts_fresh_when_there_is_no_snapshot() throws RestoreException {
        assertThat(restore.restore("auto", "a.Main")).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(Stasis.isPending()).isFalse();
    }

    /** Rewinding belongs to one thread; keep it off JUnit's. */
    private static <T> T onOwnThread(Callable<T> body) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(body.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "main-under-test");
        thread.start();
        thread.join();
        return result.get();
    }

    /** A {@code <clinit>} with the instrumenter's prologue. */
    static final class Replayed {
        static int value;

        static {
            if (!Stasis.initializing(Replayed.class)) {
                value = 42;
            }
        }
    }

    /** Records its initialisation outside itself: reading a field of its own would initialise it. */
    static final class Canary {
        static {
            canaryInitialised = true;
        }
    }
}
