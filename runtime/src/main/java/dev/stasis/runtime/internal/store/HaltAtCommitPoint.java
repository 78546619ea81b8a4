package dev.stasis.runtime.internal.store;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * A TEST HOOK, not a feature: with the system property
 * {@code stasis.test.haltAt=<point>[:<checkpoint>[:<bytes>|:<percent>%]]} the JVM stops with
 * {@code Runtime.halt} (as abrupt as {@code kill -9}: no shutdown hook, no cleanup) when the
 * {@code checkpoint}-th snapshot commit of this process (default 1) reaches the {@link CommitPoint}
 * labelled {@code point}. At {@code mid-write} the temp file then holds exactly {@code bytes} bytes
 * (default 1; all of them, unsynced, if the snapshot is shorter) or {@code percent} % of the
 * snapshot, rounded down. The crash-consistency integration tests use it to stop a real agent at
 * each instant of the commit protocol. The property is read once, when the agent opens the store;
 * without it nothing is wrapped and the store runs as always.
 */
public final class HaltAtCommitPoint implements SnapshotFiles {
    public static final String PROPERTY = "stasis.test.haltAt";
    /** The exit status of {@code kill -9}, which this imitates. */
    public static final int HALT_STATUS = 137;

    /** Where to halt, parsed from the property; mid-write stops after {@code bytes}, or {@code percent} % if it is not 0. */
    public record Plan(CommitPoint point, int checkpoint, long bytes, int percent) {
        public Plan {
            if (checkpoint < 1 || bytes < 1) {
                throw new IllegalArgumentException("checkpoint and bytes must be at least 1");
            }
            if (percent < 0 || percent > 99) {
                throw new IllegalArgumentException("percent must be between 1 and 99, was " + percent);
            }
        }

        public static Plan parse(String spec) {
            String[] parts = spec.trim().split(":", -1);
            if (parts.length > 3) {
                throw new IllegalArgumentException("expected <point>[:<checkpoint>[:<bytes>|:<percent>%]]");
            }
            try {
                CommitPoint point = CommitPoint.ofLabel(parts[0]);
                int checkpoint = parts.length > 1 ? Integer.parseInt(parts[1]) : 1;
                String where = parts.length > 2 ? parts[2] : "1";
                if (where.endsWith("%")) {
                    int percent = Integer.parseInt(where.substring(0, where.length() - 1));
                    if (percent == 0) {
                        throw new IllegalArgumentException("percent must be between 1 and 99, was 0");
                    }
                    return new Plan(point, checkpoint, 1, percent);
                }
                return new Plan(point, checkpoint, Long.parseLong(where), 0);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("checkpoint, bytes and percent must be whole numbers: " + e.getMessage(), e);
            }
        }
    }

    private final SnapshotFiles files;
    private final Plan plan;
    private final Consumer<String> halt;
    private int commits;
    /** The temp file of the commit that halts, once created, and how the halt message names it. */
    private Path chosen;
    private String where;
    private boolean renamed;

    HaltAtCommitPoint(SnapshotFiles files, Plan plan, Consumer<String> halt) {
        this.files = files;
        this.plan = plan;
        this.halt = halt;
    }

    /** {@code files}, wrapped when the test property asks for a halt; a malformed value is reported and ignored. */
    public static SnapshotFiles wrapIfRequested(SnapshotFiles files) {
        String spec = System.getProperty(PROPERTY);
        if (spec == null || spec.isBlank()) {
            return files;
        }
        try {
            return new HaltAtCommitPoint(files, Plan.parse(spec), HaltAtCommitPoint::haltNow);
        } catch (IllegalArgumentException e) {
            System.err.println("stasis: ignoring the test hook " + PROPERTY + "=" + spec + ": " + e.getMessage());
            return files;
        }
    }

    private static void haltNow(String where) {
        System.err.println("stasis: test hook " + PROPERTY + ": halting " + where);
        Runtime.getRuntime().halt(HALT_STATUS);
    }

    @Override
    public synchronized WritableFile createNew(Path file) throws IOException {
        String id = TempFiles.snapshotIdOf(file.getFileName().toString()).orElse(null);
        if (id == null || ++commits != plan.checkpoint()) {
            return files.createNew(file);
        }
        where = "at " + plan.point() + " of snapshot " + id + " (commit " + commits + " of this process)";
        if (plan.point() == CommitPoint.BEFORE_TEMP_WRITE) {
            halt.accept(where);
        }
        chosen = file;
        WritableFile written = files.createNew(file);
        if (plan.point() == CommitPoint.MID_WRITE) {
            return new HaltingWrite(written);
        }
        if (plan.point() == CommitPoint.AFTER_FILE_FSYNC) {
            return new HaltingForce(written);
        }
        return written;
    }

    @Override
    public synchronized void rename(Path from, Path to) throws IOException {
        files.rename(from, to);
        if (from.equals(chosen)) {
            renamed = true;
            if (plan.point() == CommitPoint.AFTER_RENAME) {
                halt.accept(where);
            }
        }
    }

    @Override
    public void delete(Path file) throws IOException {
        files.delete(file);
    }

    @Override
    public synchronized void syncDirectory(Path directory) throws IOException {
        files.syncDirectory(directory);
        if (renamed && plan.point() == CommitPoint.AFTER_DIRECTORY_FSYNC) {
            halt.accept(where);
        }
    }

    /** Writes exactly the planned number of bytes, then halts; for a percentage it holds the bytes back until the fsync. */
    private final class HaltingWrite implements WritableFile {
        private final WritableFile file;
        private final ByteArrayOutputStream heldBack = new ByteArrayOutputStream();
        private long written;

        HaltingWrite(WritableFile file) {
            this.file = file;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            if (plan.percent() > 0) {
                heldBack.write(bytes, offset, length);
                return;
            }
            long room = plan.bytes() - written;
            if (length < room) {
                file.write(bytes, offset, length);
                written += length;
                return;
            }
            file.write(bytes, offset, (int) room);
            halt.accept(where + " after " + plan.bytes() + " bytes");
        }

        @Override
        public void force() throws IOException {
            if (plan.percent() > 0) {
                int total = heldBack.size();
                int part = (int) ((long) total * plan.percent() / 100);
                file.write(heldBack.toByteArray(), 0, part);
                halt.accept(where + " after " + part + " of " + total + " bytes (" + plan.percent() + "%)");
            }
            halt.accept(where + ": the snapshot has only " + written + " bytes, halting before its fsync");
            file.force();
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }

    private final class HaltingForce implements WritableFile {
        private final WritableFile file;

        HaltingForce(WritableFile file) {
            this.file = file;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            file.write(bytes, offset, length);
        }

        @Override
        public void force() throws IOException {
            file.force();
            halt.accept(where);
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }
}
