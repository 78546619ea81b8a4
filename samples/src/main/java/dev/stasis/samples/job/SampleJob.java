package dev.stasis.samples.job;

/**
 * A deterministic, single-threaded, long-running job: the program Stasis is shown and tested on.
 *
 * <p>It knows nothing about Stasis. Its state at any instant spans collections, primitive arrays,
 * objects of its own classes, a seeded {@link java.util.Random}, lambdas held in fields and locals,
 * and a call stack {@code main -> run -> stage -> batch -> item} with loops at every level and a
 * recursive fold at the bottom. The final {@code RESULT} line hashes all of that state, so a
 * resumed run that lost, repeated or reordered a single step prints a different result.
 *
 * <p>Usage: {@code SampleJob [--steps N] [--seed S]}. The default length runs for minutes.
 */
public final class SampleJob {

    private SampleJob() {
    }

    public static void main(String[] args) {
        JobConfig config = JobConfig.parse(args);
        Pipeline pipeline = new Pipeline(config, new JobState(config.seed()), new Progress(config.steps()));
        long result = pipeline.run();
        System.out.println("RESULT " + Long.toHexString(result));
    }
}
