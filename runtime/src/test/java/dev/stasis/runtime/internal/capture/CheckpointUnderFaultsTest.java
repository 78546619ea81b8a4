package dev.stasis.runtime.internal.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.rt.Stasis;
import dev.stasis.runtime.CheckpointException;
import dev.stasis.runtime.internal.registry.InstrumentedClasses;
import dev.stasis.runtime.internal.snapshot.SnapshotCodec;
import dev.stasis.runtime.internal.store.FaultInjectingFiles;
import dev.stasis.runtime.internal.store.FaultInjectingFiles.Operation;
import dev.stasis.runtime.internal.store.SnapshotFile;
import dev.stasis.runtime.internal.store.SnapshotStore;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A running program checkpointed three times, the second time with a fault: the faulty checkpoint
 * fails with its cause, the program runs on to the uninterrupted result, the first snapshot stays
 * byte for byte, no temp file is left, and the third checkpoint, the fault gone, succeeds.
 */
class CheckpointUnderFaultsTest {
    private static final Duration GENEROUS = Duration.ofSeconds(20);
    private static final List<Integer> CHECKPOINT_STEPS = List.of(200, 400, 600);

    @RegisterExtension
    final InstalledEngine installed = InstalledEngine.withProtocolProgram();
    private final InstrumentedClasses registry = installed.registry;
    private final PortableEngine engine = installed.engine;
    private final ThreadGroup programGroup = new ThreadGroup("program");
    private final CheckpointCoordinator coordinator = new CheckpointCoordinator(engine,
            ApplicationThreads.matching(thread -> thread.getThreadGroup() == programGroup));

    @TempDir
    Path directory;

    @AfterEach
    void closeHeldFile() throws IOException {
        if (OpenFileHolder.cache != null) {
            for (FileInputStream in : OpenFileHolder.cache.values()) {
                in.close();
            }
            OpenFileHolder.cache = null;
        }
    }

    enum Fault {
        CREATE(files -> files.failing(Operation.CREATE, 1), "injected failure of CREATE"),
        WRITE(files -> files.failing(Operation.WRITE, 1), "injected failure of WRITE"),
        FORCE(files -> files.failing(Operation.FORCE, 1), "injected failure of FORCE"),
        RENAME(files -> files.failing(Operation.RENAME, 1), "injected failure of RENAME"),
        SYNC_DIRECTORY(files -> files.failing(Operation.SYNC_DIRECTORY, 1), "injected failure of SYNC_DIRECTORY"),
        DISK_FULL(files -> files.diskFullAfter(100), "No space left on device");

        final Consumer<FaultInjectingFiles> inject;
        final String cause;

        Fault(Consumer<FaultInjectingFiles> inject, String cause) {
            this.inject = inject;
            this.cause = cause;
        }
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void a_checkpoint_that_meets_an_io_fault_fails_with_its_cause_and_the_next_one_succeeds(Fault fault) throws Exception {
        FaultInjectingFiles files = new FaultInjectingFiles(directory);
        SnapshotStore store = SnapshotStore.open(directory, files);
        Runs runs = runCheckpointingAt(store, Map.of(400, () -> fault.inject.accept(files), 600, files::heal));

        SnapshotFile first = runs.snapshot(0);
        assertThat(runs.failure(1)).isInstanceOf(CheckpointException.class)
                .hasMessageStartingWith("could not write snapshot 000002 to " + store.directory() + ": ")
                .hasMessageContaining(fault.cause)
                .hasMessageEndingWith("; the program runs on and the previous snapshots are intact");
        SnapshotFile third = runs.snapshot(2);
        assertThat(ProtocolProgram.result).isEqualTo(ProtocolProgram.sumOfSquaresBelow(1000));
        assertThat(Files.readAllBytes(first.path())).as("the first snapshot, after the failure").isEqualTo(runs.firstBytes);
        assertThat(namesIn(directory)).containsExactly(first.path().getFileName().toString(),
                third.path().getFileName().toString());
        assertThat(SnapshotCodec.readManifest(third.path()).snapshotId()).isEqualTo("000003");
        assertThat(Stasis.isPending()).isFalse();
    }

    @Test
    void an_object_that_cannot_be_saved_fails_the_checkpoint_naming_its_path_and_leaves_no_temp_file() throws Exception {
        SnapshotStore store = SnapshotStore.open(directory);
        Path file = Files.writeString(directory.resolve("scratch.tmp"), "x");
        Runs runs = runCheckpointingAt(store, Map.of(400, () -> OpenFileHolder.open(file), 600, OpenFileHolder::release));

        assertThat(runs.failure(1)).isInstanceOf(CheckpointException.class)
                .hasMessageStartingWith("cannot snapshot java.io.FileInputStream at static " + OpenFileHolder.class.getName()
                        + ".cache -> java.util.HashMap[data] (the file " + file + " was deleted or replaced while open")
                .hasMessageEndingWith("; the program runs on and the previous snapshots are intact");
        assertThat(ProtocolProgram.result).isEqualTo(ProtocolProgram.sumOfSquaresBelow(1000));
        assertThat(namesIn(directory)).containsExactly("snapshot-000001.stasis", "snapshot-000003.stasis");
        assertThat(Files.readAllBytes(runs.snapshot(0).path())).isEqualTo(runs.firstBytes);
    }

    /** The outcome of each checkpoint: the committed file or the failure. */
    private static final class Runs {
        final List<CompletableFuture<SnapshotFile>> checkpoints;
        byte[] firstBytes;

        Runs(List<CompletableFuture<SnapshotFile>> checkpoints) {
            this.checkpoints = checkpoints;
        }

        SnapshotFile snapshot(int index) throws Exception {
            return checkpoints.get(index).get(10, TimeUnit.SECONDS);
        }

        Throwable failure(int index) throws Exception {
            return checkpoints.get(index).handle((file, failure) -> failure).get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Runs the program to its end with a checkpoint at each of {@link #CHECKPOINT_STEPS}; before a
     * checkpoint, {@code before} (keyed by step) changes the world.
     */
    private Runs runCheckpointingAt(SnapshotStore store, Map<Integer, Runnable> before) throws Exception {
        OpenFileHolder.touch();
        SnapshotWriter writer = new SnapshotWriter(store, registry);
        List<CompletableFuture<SnapshotFile>> checkpoints = Stream.generate(CompletableFuture<SnapshotFile>::new)
                .limit(CHECKPOINT_STEPS.size()).toList();
        Runs runs = new Runs(checkpoints);
        ProtocolProgram.n = 1000;
        ProtocolProgram.onStep = i -> {
            int index = CHECKPOINT_STEPS.indexOf(i);
            if (index < 0) {
                return;
            }
            if (index == 1) {
                runs.firstBytes = readAll(checkpoints.get(0).join().path());
            }
            before.getOrDefault(i, () -> { }).run();
            CompletableFuture<SnapshotFile> checkpoint = checkpoints.get(index);
            Thread target = Thread.currentThread();
            new Thread(programGroup.getParent(), () -> {
                try {
                    checkpoint.complete(coordinator.capture(target, GENEROUS, frames -> writer.write(
                            new SnapshotWriter.Origin("run-1", "dev", "a.Main", List.of()),
                            engine.initializationOrder(), target, frames, List.of())).result());
                } catch (Throwable e) {
                    checkpoint.completeExceptionally(e);
                }
            }, "stasis-test-checkpointer").start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!engine.isRequested() && !checkpoint.isDone() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
        };
        Thread program = new Thread(programGroup, ProtocolProgram::main, "app-main");
        program.start();
        program.join(20_000);
        assertThat(program.isAlive()).as("program finished").isFalse();
        return runs;
    }

    private static byte[] readAll(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> namesIn(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** An instrumented class whose static field may hold an open scratch file, deleted at once: one no relaunch can reopen. */
    static final class OpenFileHolder {
        static Map<String, FileInputStream> cache;

        static {
            if (!Stasis.initializing(OpenFileHolder.class)) {
                cache = null;
            }
        }

        static void touch() {
        }

        static void open(Path file) {
            try {
                cache = new HashMap<>(Map.of("data", new FileInputStream(file.toFile())));
                Files.delete(file);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }

        static void release() {
            try {
                cache.get("data").close();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            cache = null;
        }
    }
}
