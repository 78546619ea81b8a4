package bench.stasis.engines;

/**
 * The program both engines checkpoint in {@link EngineComparison}: {@code LiveStateJob <MB>} fills that many MB of
 * {@code long[]} blocks with pseudo-random numbers, all of it reachable, then works through them for ever, printing
 * a running checksum now and then. The state is the same for both engines; only its size varies.
 */
public final class LiveStateJob {
    private static final int LONGS_PER_MB = (1 << 20) / Long.BYTES;
    private static final long TICKS_PER_LINE = 4_000;

    private LiveStateJob() {
    }

    public static void main(String[] args) {
        int megabytes = Integer.parseInt(args[0]);
        long[][] blocks = new long[megabytes][];
        long x = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < megabytes; i++) {
            long[] block = new long[LONGS_PER_MB];
            for (int j = 0; j < block.length; j++) {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
                block[j] = x;
            }
            blocks[i] = block;
        }
        System.out.println("ready " + megabytes + " MB");
        long sum = 0;
        for (long tick = 0; ; tick++) {
            long[] block = blocks[(int) (tick % megabytes)];
            int at = (int) ((tick * 7919) % block.length);
            block[at] = block[at] * 31 + tick;
            sum += block[at];
            if (tick % TICKS_PER_LINE == 0) {
                System.out.println("tick " + tick + " " + Long.toHexString(sum));
                slow();
            }
        }
    }

    /** Keeps the output small: a line every few milliseconds, not a flood. */
    private static void slow() {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
