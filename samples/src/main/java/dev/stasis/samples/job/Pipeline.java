package dev.stasis.samples.job;

import java.util.function.IntUnaryOperator;

/**
 * Drives the steps through four levels of loops ({@code run -> stage -> batch -> item}), so a
 * checkpoint can land with a deep stack whose every frame holds live locals.
 */
final class Pipeline {

    private static final int STAGES = 4;
    private static final int BATCH_SIZE = 50;

    private final JobConfig config;
    private final JobState state;
    private final Progress progress;

    Pipeline(JobConfig config, JobState state, Progress progress) {
        this.config = config;
        this.state = state;
        this.progress = progress;
    }

    long run() {
        long done = 0;
        for (int stage = 0; stage < STAGES; stage++) {
            long stageEnd = config.steps() * (stage + 1) / STAGES;
            int stagePrime = 31 + 2 * stage;
            // A capturing lambda held in a local across the whole stage.
            IntUnaryOperator salt = i -> i * stagePrime + stagePrime;
            done = stage(stage, done, stageEnd, salt);
        }
        return state.checksum();
    }

    private long stage(int stage, long from, long to, IntUnaryOperator salt) {
        long step = from;
        while (step < to) {
            long batchEnd = Math.min(to, step + BATCH_SIZE);
            batch(stage, step, batchEnd, salt);
            step = batchEnd;
        }
        state.closeStage(stage);
        return step;
    }

    private void batch(int stage, long from, long to, IntUnaryOperator salt) {
        for (long step = from; step < to; step++) {
            item(stage, step, salt);
            progress.stepDone(step + 1, state);
        }
    }

    private void item(int stage, long step, IntUnaryOperator salt) {
        state.work(stage, step, salt.applyAsInt((int) step));
    }
}
