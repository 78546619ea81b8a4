package dev.stasis.samples.pipeline;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A three-stage pipeline over bounded queues: a reader thread produces numbered items, a pool of worker
 * threads transforms them, and a writer thread puts the results back in order and folds them into a
 * checksum, reporting its progress. The stages block on their queues all the time (full or empty), so a
 * checkpoint finds threads waiting in {@code put} and {@code take}; the main thread waits for the writer
 * with {@code join}. Arguments: items, workers, queue capacity.
 */
public final class StagedPipeline {
    private StagedPipeline() {
    }

    public static void main(String[] args) throws InterruptedException {
        int items = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int workers = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int capacity = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        BlockingQueue<Item> parsed = new ArrayBlockingQueue<>(capacity);
        BlockingQueue<Item> transformed = new LinkedBlockingQueue<>(capacity);
        new Thread(new Reader(items, workers, parsed), "reader").start();
        for (int i = 0; i < workers; i++) {
            new Thread(new Worker(parsed, transformed), "worker-" + i).start();
        }
        Writer writer = new Writer(items, workers, transformed);
        Thread writing = new Thread(writer, "writer");
        writing.start();
        System.out.println("pipeline of " + items + " items, " + workers + " workers, queues of " + capacity);
        writing.join();
        System.out.println("RESULT items=" + writer.written() + " checksum=" + writer.checksum());
    }
}
