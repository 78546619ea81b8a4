package dev.stasis.samples.pipeline;

/** One unit of work, numbered so the writer can put the results back in order; a negative number ends a stage. */
record Item(long number, long value) {
    static final Item END = new Item(-1, 0);

    boolean isEnd() {
        return number < 0;
    }
}
