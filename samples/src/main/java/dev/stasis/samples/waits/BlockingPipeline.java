package dev.stasis.samples.waits;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Exchanger;
import java.util.concurrent.Phaser;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;

/**
 * Threads that spend their time blocked. A producer puts the numbers 1..n into a bounded queue (blocked in
 * {@code put} while it is full); a relay takes them and hands each on through a {@code SynchronousQueue}, every
 * tenth through an {@code Exchanger}; a consumer sums them, pausing a little after each, and releases a permit
 * per ten, which main waits for in {@code Semaphore.acquire}; the three meet at a {@code Phaser} every 25
 * numbers; main then waits in {@code CountDownLatch.await} and {@code Thread.join}. The last line is the same
 * whatever checkpoints, kills and relaunches happened in between, or a number was lost or taken twice.
 * Arguments: n, the consumer's pause in milliseconds.
 */
public final class BlockingPipeline {
    private BlockingPipeline() {
    }

    public static void main(String[] args) throws InterruptedException {
        Pipeline pipeline = new Pipeline(Integer.parseInt(args[0]), Long.parseLong(args[1]));
        Thread producer = new Thread(new Producer(pipeline), "producer");
        Thread relay = new Thread(new Relay(pipeline), "relay");
        Thread consumer = new Thread(new Consumer(pipeline), "consumer");
        producer.start();
        relay.start();
        consumer.start();
        System.out.println("started " + pipeline.count);
        for (int batch = 1; batch <= pipeline.count / 10; batch++) {
            pipeline.batches.acquire();
        }
        pipeline.consumed.await();
        producer.join();
        relay.join();
        consumer.join();
        System.out.println("RESULT sum " + pipeline.sum + " of " + pipeline.taken + " numbers, " + pipeline.exchanged
                + " exchanged, last phase " + pipeline.lastPhase);
    }

    /** What the threads share; each counter is written by the consumer only. */
    static final class Pipeline {
        final int count;
        final long pauseMillis;
        final BlockingQueue<Integer> produced = new ArrayBlockingQueue<>(2);
        final SynchronousQueue<Integer> handedOn = new SynchronousQueue<>();
        final Exchanger<Integer> exchanger = new Exchanger<>();
        final Semaphore batches = new Semaphore(0);
        final CountDownLatch consumed = new CountDownLatch(1);
        final Phaser phaser = new Phaser(3);
        volatile long sum;
        volatile int taken;
        volatile int exchanged;
        volatile int lastPhase;

        Pipeline(int count, long pauseMillis) {
            this.count = count;
            this.pauseMillis = pauseMillis;
        }
    }

    static final class Producer implements Runnable {
        private final Pipeline pipeline;

        Producer(Pipeline pipeline) {
            this.pipeline = pipeline;
        }

        @Override
        public void run() {
            try {
                for (int n = 1; n <= pipeline.count; n++) {
                    pipeline.produced.put(n);
                    if (n % 25 == 0) {
                        pipeline.phaser.arriveAndAwaitAdvance();
                    }
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException("the producer was interrupted", e);
            }
        }
    }

    static final class Relay implements Runnable {
        private final Pipeline pipeline;

        Relay(Pipeline pipeline) {
            this.pipeline = pipeline;
        }

        @Override
        public void run() {
            try {
                for (int n = 1; n <= pipeline.count; n++) {
                    Integer number = pipeline.produced.take();
                    if (n % 10 == 0) {
                        pipeline.exchanger.exchange(number); // the consumer gives back 0
                    } else {
                        pipeline.handedOn.put(number);
                    }
                    if (n % 25 == 0) {
                        pipeline.phaser.arriveAndAwaitAdvance();
                    }
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException("the relay was interrupted", e);
            }
        }
    }

    static final class Consumer implements Runnable {
        private final Pipeline pipeline;

        Consumer(Pipeline pipeline) {
            this.pipeline = pipeline;
        }

        @Override
        public void run() {
            try {
                for (int n = 1; n <= pipeline.count; n++) {
                    int number;
                    if (n % 10 == 0) {
                        number = pipeline.exchanger.exchange(0);
                        pipeline.exchanged++;
                    } else {
                        number = pipeline.handedOn.take();
                    }
                    pipeline.sum += number;
                    pipeline.taken++;
                    if (n % 10 == 0) {
                        pipeline.batches.release();
                    }
                    if (n % 25 == 0) {
                        pipeline.lastPhase = pipeline.phaser.arriveAndAwaitAdvance();
                    }
                    Thread.sleep(pipeline.pauseMillis);
                }
                pipeline.consumed.countDown();
            } catch (InterruptedException e) {
                throw new IllegalStateException("the consumer was interrupted", e);
            }
        }
    }
}
