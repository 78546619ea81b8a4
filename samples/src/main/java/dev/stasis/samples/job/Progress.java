package dev.stasis.samples.job;

/** Prints {@code step N/TOTAL checksum=...} about a hundred times per run. */
final class Progress {

    private final long total;
    private final long every;

    Progress(long total) {
        this.total = total;
        this.every = Math.max(1, total / 100);
    }

    void stepDone(long step, JobState state) {
        if (step % every == 0 && step < total) {
            System.out.println("step " + step + "/" + total + " checksum=" + Long.toHexString(state.runningChecksum()));
        }
    }
}
