package dev.stasis.runtime.internal.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The real file system with faults, for tests of the store's commit protocol:
 * <ul>
 *   <li>{@link #failing}: the n-th operation of a kind throws an {@link IOException} and does nothing;</li>
 *   <li>{@link #diskFullAfter}: writes beyond a total byte count write what fits and then fail as
 *       a full disk does ({@code No space left on device});</li>
 *   <li>{@link #crashAfter}: after that many operations the machine "loses power": every later
 *       operation throws {@link SimulatedCrash} and reaches nothing, and {@link #crash} then
 *       rewrites the directory to a state a power failure could leave (see {@link PageCacheModel});</li>
 *   <li>{@link #lyingAboutFsync}: fsync returns without making anything durable, as a disk with an
 *       unsafe write cache does: the negative control that shows the model can tear files.</li>
 * </ul>
 * {@link #heal} takes all faults away, as when space is freed. What survives a crash is the
 * model's business, so fsyncs are not passed on to the disk: hundreds of seeds stay fast.
 */
public final class FaultInjectingFiles implements SnapshotFiles {

    /** The operations of {@link SnapshotFiles}, counted separately for {@link #failing}. */
    public enum Operation { CREATE, WRITE, FORCE, RENAME, DELETE, SYNC_DIRECTORY }

    /** The machine lost power: an {@link Error}, so no cleanup code mistakes it for an ordinary failure and goes on. */
    public static final class SimulatedCrash extends Error {
        SimulatedCrash(String message) {
            super(message);
        }
    }

    private final SnapshotFiles disk = SnapshotFiles.nio();
    private final PageCacheModel model;
    private final Map<Operation, Integer> counts = new EnumMap<>(Operation.class);
    private final Map<Operation, List<Integer>> failures = new EnumMap<>(Operation.class);
    private final List<String> log = new ArrayList<>();
    private long bytesWritten;
    private long diskFullAfter = Long.MAX_VALUE;
    private int crashAfter = Integer.MAX_VALUE;
    private boolean lying;
    private boolean crashed;

    /** Models {@code directory} (which may already hold files, all taken as durable). */
    public FaultInjectingFiles(Path directory) {
        this.model = new PageCacheModel(directory);
    }

    /** The {@code nth} (1-based) {@code operation} from now on fails. */
    public FaultInjectingFiles failing(Operation operation, int nth) {
        failures.computeIfAbsent(operation, op -> new ArrayList<>()).add(counts.getOrDefault(operation, 0) + nth);
        return this;
    }

    /** At most {@code bytes} more bytes fit. */
    public FaultInjectingFiles diskFullAfter(long bytes) {
        diskFullAfter = bytesWritten + bytes;
        return this;
    }

    /** Operations after the next {@code operations} ones do not happen: the power is gone. */
    public FaultInjectingFiles crashAfter(int operations) {
        crashAfter = totalOperations() + operations;
        return this;
    }

    public FaultInjectingFiles lyingAboutFsync() {
        lying = true;
        return this;
    }

    /** No more injected failures and room on the disk again (a crash cannot be healed). */
    public FaultInjectingFiles heal() {
        failures.clear();
        diskFullAfter = Long.MAX_VALUE;
        return this;
    }

    public boolean crashed() {
        return crashed;
    }

    /** Leaves the directory as a power failure now could: see {@link PageCacheModel}. Ends this instance's use. */
    public void crash(Random random) {
        crashed = true;
        model.crash(random);
    }

    public boolean allDurable() {
        return model.allDurable();
    }

    /** What was done, one line per operation, for assertion messages. */
    public String log() {
        return String.join("\n", log);
    }

    @Override
    public WritableFile createNew(Path file) throws IOException {
        enter(Operation.CREATE, file);
        WritableFile real = disk.createNew(file);
        model.created(file);
        return new WritableFile() {
            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                enter(Operation.WRITE, file);
                int fits = (int) Math.min(length, Math.max(0, diskFullAfter - bytesWritten));
                real.write(bytes, offset, fits);
                model.written(file, bytes, offset, fits);
                bytesWritten += fits;
                if (fits < length) {
                    throw new IOException("No space left on device");
                }
            }

            @Override
            public void force() throws IOException {
                enter(Operation.FORCE, file);
                if (!lying) {
                    model.forced(file);
                }
            }

            @Override
            public void close() throws IOException {
                real.close(); // releases the descriptor only: nothing to fail or to lose
            }
        };
    }

    @Override
    public void rename(Path from, Path to) throws IOException {
        enter(Operation.RENAME, from);
        disk.rename(from, to);
        model.renamed(from, to);
    }

    @Override
    public void delete(Path file) throws IOException {
        enter(Operation.DELETE, file);
        disk.delete(file);
        model.deleted(file);
    }

    @Override
    public void syncDirectory(Path directory) throws IOException {
        enter(Operation.SYNC_DIRECTORY, directory);
        if (!lying) {
            model.directorySynced();
        }
    }

    /** Counts the operation, then crashes or fails it if that is the plan. */
    private void enter(Operation operation, Path file) throws IOException {
        if (crashed || totalOperations() >= crashAfter) {
            crashed = true;
            throw new SimulatedCrash("power lost before " + operation + " " + file.getFileName());
        }
        int nth = counts.merge(operation, 1, Integer::sum);
        log.add(operation + " " + file.getFileName());
        if (failures.getOrDefault(operation, List.of()).contains(nth)) {
            log.add("  -> injected failure");
            throw new IOException("injected failure of " + operation + " #" + nth + " (" + file.getFileName() + ")");
        }
    }

    private int totalOperations() {
        int total = 0;
        for (int count : counts.values()) {
            total += count;
        }
        return total;
    }

    /** How many operations of each kind were made: lets a test pick one to fail. */
    public Map<Operation, Integer> counts() {
        return new HashMap<>(counts);
    }
}
