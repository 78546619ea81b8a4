package dev.stasis.samples.pools;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Work on a {@code ScheduledThreadPoolExecutor}: a task at a fixed rate does one chunk of work per tick until it
 * has done them all, while a one-shot task waits out a long delay. Main waits for the ticks on a latch, cancels
 * the periodic task and reads the one-shot's {@code ScheduledFuture}, which says how long after scheduling it ran
 * (on the program's clock, which does not count the time the program was not running). The last line is the same
 * however often the job was checkpointed, killed and resumed, or a tick was lost or done twice, or the delayed task
 * ran early. Arguments: ticks, the one-shot's delay in milliseconds.
 */
public final class ScheduledTicks {
    private ScheduledTicks() {
    }

    public static void main(String[] args) throws InterruptedException, ExecutionException {
        int ticks = Integer.parseInt(args[0]);
        long delayMillis = Long.parseLong(args[1]);
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(2);
        Ticker ticker = new Ticker(ticks);
        ScheduledFuture<?> periodic = pool.scheduleAtFixedRate(ticker, 0, 20, TimeUnit.MILLISECONDS);
        long scheduledAt = System.nanoTime();
        ScheduledFuture<Long> delayed = pool.schedule(() -> System.nanoTime() - scheduledAt, delayMillis,
                TimeUnit.MILLISECONDS);
        System.out.println("scheduled");
        ticker.done.await();
        periodic.cancel(false);
        long ranAfterMillis = TimeUnit.NANOSECONDS.toMillis(delayed.get());
        System.out.println("delayed task ran after " + ranAfterMillis + " ms, scheduled for " + delayMillis + " ms");
        pool.shutdown();
        boolean terminated = pool.awaitTermination(1, TimeUnit.MINUTES);
        System.out.println("RESULT ticks " + ticker.count + " digest " + ticker.digest + ", delayed task not early "
                + (ranAfterMillis >= delayMillis) + ", pool terminated " + terminated);
    }

    /** One chunk of work per tick, until {@code ticks} are done; only the pool's one periodic run calls it at a time. */
    static final class Ticker implements Runnable {
        final CountDownLatch done = new CountDownLatch(1);
        private final int ticks;
        volatile int count;
        volatile long digest = 17;

        Ticker(int ticks) {
            this.ticks = ticks;
        }

        @Override
        public void run() {
            if (count >= ticks) {
                return;
            }
            long x = count + 1;
            for (int i = 0; i < 2_000_000; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
            digest = digest * 31 + x;
            count++;
            if (count == ticks) {
                done.countDown();
            }
        }
    }
}
