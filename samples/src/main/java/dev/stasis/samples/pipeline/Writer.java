package dev.stasis.samples.pipeline;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;

/** The last stage: results arrive in any order; they are folded into the checksum in item order. */
final class Writer implements Runnable {
    private static final int REPORT_EVERY = 20_000;

    private final int items;
    private final int workers;
    private final BlockingQueue<Item> in;
    private final Map<Long, Long> early = new HashMap<>();
    private long next;
    private long checksum = 17;
    private int ended;

    Writer(int items, int workers, BlockingQueue<Item> in) {
        this.items = items;
        this.workers = workers;
        this.in = in;
    }

    @Override
    public void run() {
        try {
            while (ended < workers || next < items) {
                Item item = in.take();
                if (item.isEnd()) {
                    ended++;
                    continue;
                }
                early.put(item.number(), item.value());
                Long value;
                while ((value = early.remove(next)) != null) {
                    checksum = checksum * 31 + value;
                    next++;
                    if (next % REPORT_EVERY == 0) {
                        System.out.println("written " + next + " checksum " + checksum);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    long written() {
        return next;
    }

    long checksum() {
        return checksum;
    }
}
