package dev.stasis.samples.pipeline;

import java.util.concurrent.BlockingQueue;

/** The middle stage, run by several threads: each item's value is mixed a few hundred times. */
final class Worker implements Runnable {
    private static final int ROUNDS = 400;

    private final BlockingQueue<Item> in;
    private final BlockingQueue<Item> out;

    Worker(BlockingQueue<Item> in, BlockingQueue<Item> out) {
        this.in = in;
        this.out = out;
    }

    @Override
    public void run() {
        try {
            while (true) {
                Item item = in.take();
                if (item.isEnd()) {
                    out.put(item);
                    return;
                }
                out.put(new Item(item.number(), mix(item.value())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long mix(long value) {
        long x = value;
        for (int i = 0; i < ROUNDS; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
        }
        return x;
    }
}
