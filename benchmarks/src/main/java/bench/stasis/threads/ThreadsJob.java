package bench.stasis.threads;

import bench.stasis.ballast.Ballast;

/**
 * The program {@link ThreadsBenchmark} checkpoints: {@code ThreadsJob <kind> <workers> [sleepMillis [liveObjects]]}
 * first keeps {@code liveObjects} small objects alive outside what a snapshot reaches ({@link Ballast}, default
 * none), then starts that
 * many worker threads, prints {@code ready <workers>} once all of them run, and then keeps {@code main} asleep for
 * ever (a safepoint). Each worker holds a few frames of state ({@link Worker#run}, {@link Worker#stage},
 * {@link Worker#loop}: its id, a seed, a small history array and a running checksum) and either
 * <ul>
 *   <li>{@code compute}: never blocks, mixing numbers in a tight loop (its loop back-edges are the polls), or</li>
 *   <li>{@code sleep}: does a little work, then sleeps {@code sleepMillis} (default 20): mostly blocked, in
 *       {@code Thread.sleep}, which the agent makes a safepoint.</li>
 * </ul>
 */
public final class ThreadsJob {
    private static final long MAIN_NAP_MILLIS = 100;

    private ThreadsJob() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 2 || !(args[0].equals("compute") || args[0].equals("sleep"))) {
            throw new IllegalArgumentException("usage: ThreadsJob compute|sleep <workers> [sleepMillis [liveObjects]], got "
                    + String.join(" ", args));
        }
        boolean compute = args[0].equals("compute");
        int workers = Integer.parseInt(args[1]);
        long sleepMillis = args.length > 2 ? Long.parseLong(args[2]) : 20;
        Ballast.keep(args.length > 3 ? Integer.parseInt(args[3]) : 0);
        for (int i = 0; i < workers; i++) {
            Thread thread = new Thread(new Worker(i, compute, sleepMillis), "worker-" + i);
            thread.setDaemon(true);
            thread.start();
        }
        System.out.println("ready " + workers);
        while (true) {
            Thread.sleep(MAIN_NAP_MILLIS);
        }
    }

    /** One application thread; a named class, so {@code Thread.run} calls its code directly. */
    static final class Worker implements Runnable {
        private final int id;
        private final boolean compute;
        private final long sleepMillis;
        /** Published now and then, so the JIT cannot drop the work. */
        volatile long checksum;

        Worker(int id, boolean compute, long sleepMillis) {
            this.id = id;
            this.compute = compute;
            this.sleepMillis = sleepMillis;
        }

        @Override
        public void run() {
            long seed = 0x9E3779B97F4A7C15L * (id + 1);
            stage(seed, new long[8]);
        }

        private void stage(long seed, long[] history) {
            long rounds = 0;
            while (true) {
                seed = loop(seed, history);
                history[(int) (rounds++ & 7)] = seed;
                checksum = seed;
            }
        }

        /** A round of xorshift mixing; in {@code sleep} mode followed by a nap. */
        private long loop(long x, long[] history) {
            int steps = compute ? 100_000 : 1_000;
            for (int i = 0; i < steps; i++) {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
                x += history[i & 7];
            }
            if (!compute) {
                nap();
            }
            return x;
        }

        private void nap() {
            try {
                Thread.sleep(sleepMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
