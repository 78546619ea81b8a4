package dev.stasis.samples.crac;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * A program written for CRaC whose resource refuses every checkpoint while its batch is open, as a
 * resource does that cannot be saved half done. Another resource, registered first, is told too.
 *
 * <p>Usage: {@code OpenBatch <stop-file>}. Prints {@code batch open}, then waits (in short sleeps) until
 * {@code stop-file} exists, and prints {@code closed after <n> refusals}. Each resource prints a line
 * when it is told ({@code <name> beforeCheckpoint}, {@code <name> afterRestore}).
 */
public final class OpenBatch {
    private static final long IDLE_MILLIS = 20;
    /** CRaC holds resources weakly: a program keeps its own reachable, or they are collected and never told. */
    private static final List<Resource> RESOURCES = new ArrayList<>();

    private OpenBatch() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 1) {
            System.err.println("usage: OpenBatch <stop-file>");
            System.exit(2);
        }
        Path stop = Path.of(args[0]);
        Told cache = new Told("cache", false);
        Told batch = new Told("batch", true);
        RESOURCES.add(cache);
        RESOURCES.add(batch);
        Core.getGlobalContext().register(cache);
        Core.getGlobalContext().register(batch);
        System.out.println("batch open");
        while (!Files.exists(stop)) {
            Thread.sleep(IDLE_MILLIS);
        }
        System.out.println("closed after " + batch.refusals() + " refusals");
    }

    /** Prints what it is told; the batch refuses to be checkpointed. */
    static final class Told implements Resource {
        private final String name;
        private final boolean refuses;
        private int refusals;

        Told(String name, boolean refuses) {
            this.name = name;
            this.refuses = refuses;
        }

        synchronized int refusals() {
            return refusals;
        }

        @Override
        public synchronized void beforeCheckpoint(Context<? extends Resource> context) {
            System.out.println(name + " beforeCheckpoint");
            if (refuses) {
                refusals++;
                throw new IllegalStateException("the batch is open");
            }
        }

        @Override
        public void afterRestore(Context<? extends Resource> context) {
            System.out.println(name + " afterRestore");
        }
    }
}
