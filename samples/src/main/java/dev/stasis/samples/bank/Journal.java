package dev.stasis.samples.bank;

/** Counts transfers and the money they moved; a synchronized method, so threads pass its monitor all the time. */
final class Journal {
    private long entries;
    private long moved;

    synchronized void record(long amount) {
        entries++;
        moved += amount;
    }

    synchronized String summary() {
        return "transfers=" + entries + " moved=" + moved;
    }
}
