package dev.stasis.samples.pipeline;

import java.util.concurrent.BlockingQueue;

/** The first stage: numbered items from a fixed sequence, then one end mark per worker. */
final class Reader implements Runnable {
    private final int items;
    private final int workers;
    private final BlockingQueue<Item> out;

    Reader(int items, int workers, BlockingQueue<Item> out) {
        this.items = items;
        this.workers = workers;
        this.out = out;
    }

    @Override
    public void run() {
        try {
            long seed = 0x9E3779B97F4A7C15L;
            for (long number = 0; number < items; number++) {
                seed = seed * 6364136223846793005L + 1442695040888963407L;
                out.put(new Item(number, seed >>> 16));
            }
            for (int i = 0; i < workers; i++) {
                out.put(Item.END);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
