package dev.stasis.samples.crac;

/** What the service has been asked: the count it answers with, and the main thread's errands. */
final class Requests {
    private long count;
    private boolean checkpointRequested;
    private boolean stopRequested;

    synchronized long next() {
        return ++count;
    }

    synchronized long count() {
        return count;
    }

    synchronized void requestCheckpoint() {
        checkpointRequested = true;
    }

    synchronized boolean takeCheckpointRequest() {
        boolean requested = checkpointRequested;
        checkpointRequested = false;
        return requested;
    }

    synchronized void requestStop() {
        stopRequested = true;
    }

    synchronized boolean stopRequested() {
        return stopRequested;
    }
}
