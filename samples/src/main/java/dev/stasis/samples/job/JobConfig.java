package dev.stasis.samples.job;

/**
 * The job's command line.
 *
 * @param steps how many fine-grained steps to run (the default takes minutes)
 * @param seed  the seed of the job's random numbers
 */
record JobConfig(long steps, long seed) {

    static final long DEFAULT_STEPS = 300_000_000L;
    static final long DEFAULT_SEED = 42L;

    JobConfig {
        if (steps < 1) {
            throw new IllegalArgumentException("--steps must be at least 1, was " + steps);
        }
    }

    static JobConfig parse(String[] args) {
        long steps = DEFAULT_STEPS;
        long seed = DEFAULT_SEED;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length) {
                throw usage("missing value after " + option);
            }
            String value = args[++i];
            switch (option) {
                case "--steps" -> steps = parseLong(option, value);
                case "--seed" -> seed = parseLong(option, value);
                default -> throw usage("unknown option " + option);
            }
        }
        return new JobConfig(steps, seed);
    }

    private static long parseLong(String option, String value) {
        try {
            return Long.parseLong(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw usage(option + " needs a whole number, got '" + value + "'");
        }
    }

    private static IllegalArgumentException usage(String problem) {
        return new IllegalArgumentException(problem + "; usage: SampleJob [--steps N] [--seed S]");
    }
}
