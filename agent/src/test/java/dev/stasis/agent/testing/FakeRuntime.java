package dev.stasis.agent.testing;

import dev.stasis.runtime.CheckpointException;
import dev.stasis.runtime.CheckpointResult;
import dev.stasis.runtime.NothingToCheckpointException;
import dev.stasis.runtime.StasisRuntime;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** A StasisRuntime whose checkpoints succeed with ids snap-1, snap-2, ... or fail with a given message. */
public final class FakeRuntime implements StasisRuntime {
    private final AtomicInteger checkpoints = new AtomicInteger();
    private volatile String failure;
    private volatile long delayMillis;
    private volatile RuntimeException crash;
    private volatile boolean nothingLeft;
    private volatile boolean finished;
    private volatile String lastId;
    private volatile String lastError;

    public FakeRuntime failingWith(String message) {
        failure = message;
        return this;
    }

    /** Each checkpoint finds no application thread left, as at the very end of a program. */
    public FakeRuntime withNoThreadLeft() {
        nothingLeft = true;
        return this;
    }

    public FakeRuntime crashingWith(RuntimeException e) {
        crash = e;
        return this;
    }

    /** Each checkpoint takes this long, like one waiting for a busy program to reach a safepoint. */
    public FakeRuntime slowBy(long millis) {
        delayMillis = millis;
        return this;
    }

    public int checkpointCalls() {
        return checkpoints.get();
    }

    public boolean finished() {
        return finished;
    }

    @Override
    public Optional<String> restoreAtStartup() {
        return Optional.empty();
    }

    @Override
    public CheckpointResult checkpoint() throws CheckpointException {
        int n = checkpoints.incrementAndGet();
        if (delayMillis > 0) {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (crash != null) {
            throw crash;
        }
        if (nothingLeft) {
            throw new NothingToCheckpointException("checkpoint abandoned: every application thread ended before it "
                    + "reached a capturable point");
        }
        if (failure != null) {
            lastError = failure;
            throw new CheckpointException(failure, new IllegalStateException("internal detail"));
        }
        lastId = "snap-" + n;
        lastError = null;
        return new CheckpointResult(lastId, 7, 1234);
    }

    @Override
    public void markFinished() {
        finished = true;
    }

    @Override
    public String lastSnapshotId() {
        return lastId;
    }

    @Override
    public long checkpointCount() {
        return lastId == null ? 0 : Long.parseLong(lastId.substring("snap-".length()));
    }

    @Override
    public long lastPauseMillis() {
        return lastId == null ? 0 : 7;
    }

    @Override
    public long lastQuiesceMicros() {
        return lastId == null ? -1 : 3_500;
    }

    @Override
    public long lastSnapshotBytes() {
        return lastId == null ? 0 : 1234;
    }

    @Override
    public String lastError() {
        return lastError;
    }

    @Override
    public Path snapshotDirectory() {
        return Path.of("/tmp/snaps");
    }
}
