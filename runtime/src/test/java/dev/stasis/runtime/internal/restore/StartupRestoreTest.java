package dev.stasis.runtime.internal.restore;

import dev.stasis.runtime.internal.snapshot.CapturedThreads;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stasis.rt.Frame;
import dev.stasis.rt.Stasis;
import dev.stasis.rt.crac.Context;
import dev.stasis.rt.crac.Resource;
import dev.stasis.runtime.RestoreException;
import dev.stasis.runtime.internal.capture.InstalledEngine;
import dev.stasis.runtime.internal.capture.PortableEngine;
import dev.stasis.runtime.internal.lifecycle.CheckpointLifecycle;
import dev.stasis.runtime.internal.snapshot.SnapshotContent;
import dev.stasis.runtime.internal.snapshot.ThreadCapture;
import dev.stasis.runtime.internal.snapshot.Manifest;
import dev.stasis.runtime.internal.snapshot.ReadOptions;
import dev.stasis.runtime.internal.snapshot.SnapshotCodec;
import dev.stasis.runtime.internal.snapshot.SnapshotKey;
import dev.stasis.runtime.internal.snapshot.WriteOptions;
import dev.stasis.runtime.internal.store.SnapshotFile;
import dev.stasis.runtime.internal.store.SnapshotStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class StartupRestoreTest {
    private static final String REPLAYED = "dev/stasis/runtime/internal/restore/StartupRestoreTest$Replayed";
    private static final String CANARY = "dev/stasis/runtime/internal/restore/StartupRestoreTest$Canary";
    private static final Frame BOTTOM = new Frame("a/Main.main([Ljava/lang/String;)V", 1, 0, 0, 0, 0, 1);
    private static final Frame TOP = new Frame("a/Main.work(I)V", 2, 1, 0, 0, 0, 0);

    static volatile boolean canaryInitialised;

    @TempDir
    Path dir;

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
                new SnapshotContent(List.of(), List.of(CapturedThreads.main(List.of(BOTTOM, TOP)))));

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
                + "\\(taken 2025-11-26T06:53:20Z, 1 thread, 2 frames, 1234 bytes, restored in \\d+ ms\\)\\R");
    }

    @Test
    void the_programs_clock_goes_on_from_the_recorded_reading_not_from_the_time_it_was_dead() throws Exception {
        Manifest recorded = FakeSnapshotSource.manifest("000005", "run-a", Map.of(), List.of());
        long clockAtCheckpoint = System.nanoTime() + 3L * 24 * 3600 * 1_000_000_000L;
        source.add(new Manifest(recorded.formatVersion(), recorded.snapshotId(), recorded.runId(),
                        recorded.createdAtMillis(), recorded.agentVersion(), recorded.javaVersion(), recorded.mainClass(),
                        recorded.arguments(), recorded.fingerprints(), recorded.initOrder(), recorded.threads(),
                        recorded.environment(), clockAtCheckpoint),
                new SnapshotContent(List.of(), List.of(CapturedThreads.main(List.of(BOTTOM)))));
        try {
            long afterResume = onOwnThread(() -> {
                restore.restore("auto", "a.Main");
                return Stasis.nanoTime();
            });

            assertThat(afterResume - clockAtCheckpoint).as("nanos on the program's clock since the checkpoint")
                    .isNotNegative().isLessThan(10_000_000_000L);
        } finally {
            Stasis.continueClockFrom(System.nanoTime());
        }
    }

    @Test
    void registers_the_saved_resources_again_in_their_order_and_runs_afterRestore_before_main_resumes() throws Exception {
        List<String> journal = Collections.synchronizedList(new ArrayList<>());
        Context context = new Context();
        StartupRestore withResources = new StartupRestore(source, engine, getClass().getClassLoader(),
                new PrintStream(err, true, StandardCharsets.UTF_8), true,
                new CheckpointLifecycle(context, new PrintStream(err, true, StandardCharsets.UTF_8)));
        SavedResource first = new SavedResource(journal, "first", false);
        SavedResource second = new SavedResource(journal, "second", true);
        source.add(FakeSnapshotSource.manifest("000004", "run-a", Map.of(), List.of()),
                new SnapshotContent(List.of(), List.of(CapturedThreads.main(List.of(BOTTOM))),
                        List.of(first, second)));

        onOwnThread(() -> withResources.restore("auto", "a.Main"));

        assertThat(context.registered()).containsExactly(first, second);
        assertThat(journal).containsExactly("first-after on stasis-crac-resources", "second-after on stasis-crac-resources");
        assertThat(withResources.afterRestoreFailures()).extracting(Throwable::getMessage).containsExactly("second-after");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("stasis: org.crac resource " + SavedResource.class.getName()
                + ".afterRestore threw java.lang.IllegalStateException: second-after; the program runs on");
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

    @Test
    void a_snapshot_whose_objects_break_a_read_bound_is_refused_after_its_checks_and_left_as_it_is() throws Exception {
        SnapshotStore store = SnapshotStore.open(dir);
        SnapshotFile older = commit(store, WriteOptions.defaults(), List.of());
        SnapshotFile newest = commit(store, WriteOptions.defaults(), List.of());
        StartupRestore shallow = new StartupRestore(SnapshotSource.of(store, ReadOptions.defaults().withMaxDepth(2)), engine,
                getClass().getClassLoader(), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThatThrownBy(() -> shallow.restore("auto", "a.Main"))
                .isInstanceOf(RestoreException.class)
                .hasMessageStartingWith("snapshot " + newest.id() + " was refused (" + newest.path() + " at byte offset ")
                .hasMessageContaining("It was left as it is. Every resume enforces these rules; if you do not know who"
                        + " wrote it, move it out of " + store.directory() + ".")
                .hasMessageEndingWith("Or start with restore=<id> to resume another snapshot (" + older.id()
                        + "), or restore=never to start from the beginning.");
        assertThat(store.list()).containsExactly(newest, older);
        assertThat(store.listBroken()).isEmpty();
        assertThat(Stasis.isPending()).as("nothing rewinds").isFalse();
    }

    @Test
    void a_snapshot_signed_with_another_key_is_refused_before_any_class_is_initialised() throws Exception {
        SnapshotStore store = SnapshotStore.open(dir);
        SnapshotFile newest = commit(store, WriteOptions.defaults().withKey(SnapshotKey.of(new byte[32], "/keys/old.key")),
                List.of(CANARY));
        StartupRestore withOtherKey = new StartupRestore(SnapshotSource.of(store, ReadOptions.defaults()
                .withKey(SnapshotKey.of(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, "/keys/new.key"))),
                engine, getClass().getClassLoader(), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThatThrownBy(() -> withOtherKey.restore("auto", "a.Main"))
                .isInstanceOf(RestoreException.class)
                .hasMessageStartingWith("snapshot " + newest.id() + " failed its authenticity check (" + newest.path())
                .hasMessageContaining("HMAC-SHA256 mismatch: it was not written with the key in /keys/new.key");
        assertThat(store.list()).containsExactly(newest);
        assertThat(canaryInitialised).isFalse();
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    /** A snapshot of one frame three lists deep; a resume would initialise {@code classes} (unchanged, by their fingerprints). */
    private static SnapshotFile commit(SnapshotStore store, WriteOptions options, List<String> classes) throws IOException {
        String id = store.newSnapshotId();
        Map<String, String> fingerprints = new HashMap<>();
        for (String name : classes) {
            fingerprints.put(name, FingerprintCheckTest.fingerprintOf(name));
        }
        Manifest manifest = FakeSnapshotSource.manifest(id, "run-a", fingerprints, classes);
        Frame frame = new Frame("a/Main.main([Ljava/lang/String;)V", 1, 0, 0, 0, 0, 1);
        frame.refs[0] = List.of(List.of(List.of("deep")));
        SnapshotContent content = new SnapshotContent(List.of(), List.of(CapturedThreads.main(List.of(frame))));
        return store.commit(id, out -> SnapshotCodec.write(out, manifest, content, options));
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

    /** A resource as a snapshot holds it; it records where its afterRestore ran. */
    static final class SavedResource implements Resource {
        private final List<String> journal;
        private final String id;
        private final boolean failsAfterRestore;

        SavedResource(List<String> journal, String id, boolean failsAfterRestore) {
            this.journal = journal;
            this.id = id;
            this.failsAfterRestore = failsAfterRestore;
        }

        @Override
        public void beforeCheckpoint(Context context) {
            journal.add(id + "-before");
        }

        @Override
        public void afterRestore(Context context) {
            journal.add(id + "-after on " + Thread.currentThread().getName());
            if (failsAfterRestore) {
                throw new IllegalStateException(id + "-after");
            }
        }
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
