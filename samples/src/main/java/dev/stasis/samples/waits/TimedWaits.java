package dev.stasis.samples.waits;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Takes an element and a permit, then waits on a latch no one opens, for the milliseconds given, and
 * says what it holds afterwards. Under the agent the wait is a safepoint: a checkpoint taken meanwhile does
 * not wait for it to end, a resumed run waits only what was left, and the queue and the semaphore come back
 * with exactly the elements and permits they had: nothing taken twice, nothing lost.
 */
public final class TimedWaits {
    private TimedWaits() {
    }

    public static void main(String[] args) throws InterruptedException {
        long millis = Long.parseLong(args[0]);
        LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>(List.of("a", "b", "c"));
        Semaphore permits = new Semaphore(2);
        CountDownLatch neverOpened = new CountDownLatch(1);
        String took = queue.take();
        permits.acquire();

        long before = System.nanoTime();
        System.out.println("waiting " + millis + " ms");
        boolean opened = neverOpened.await(millis, TimeUnit.MILLISECONDS);
        long after = System.nanoTime();
        System.out.println("waited " + (after - before) / 1_000_000 + " ms");
        System.out.println("opened " + opened + ", took " + took + ", queue " + queue + ", permits "
                + permits.availablePermits());
        System.out.println("then took " + queue.take() + (permits.tryAcquire(1, TimeUnit.SECONDS) ? " and a permit" : ""));
    }
}
