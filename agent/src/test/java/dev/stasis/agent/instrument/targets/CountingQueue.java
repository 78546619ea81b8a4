package dev.stasis.agent.instrument.targets;

import java.util.concurrent.LinkedBlockingQueue;

/** An application's queue that overrides {@code take} and calls the JDK's through {@code super}. */
public final class CountingQueue extends LinkedBlockingQueue<String> {
    private static final long serialVersionUID = 1L;
    /** How often this class's {@code take} ran. */
    public volatile int takes;

    @Override
    public String take() throws InterruptedException {
        takes++;
        return super.take();
    }

    /** Through the interface, as an application would call it. */
    public static String takeOnce(CountingQueue queue) throws InterruptedException {
        java.util.concurrent.BlockingQueue<String> asQueue = queue;
        String element = asQueue.take();
        return "took " + element + ", takes " + queue.takes;
    }
}
