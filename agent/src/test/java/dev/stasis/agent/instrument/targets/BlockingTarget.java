package dev.stasis.agent.instrument.targets;

import java.util.List;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionService;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Exchanger;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Phaser;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * An application's blocking calls, one per method, each on the object a test puts in {@link #primitive}
 * and with a local that must survive a capture in the call. Every method returns what it got.
 */
@SuppressWarnings("unchecked")
public final class BlockingTarget {
    /** The queue, latch, semaphore ... the next method blocks on; a test sets it before running. */
    public static volatile Object primitive;
    /** What {@link #parkUntilReleased()} waits for. */
    public static volatile boolean released;
    private static final long LONG = 30;

    private BlockingTarget() {
    }

    private static <T> T the() {
        return (T) primitive;
    }

    public static String take() throws InterruptedException {
        int before = 41;
        BlockingQueue<String> queue = the();
        String element = queue.take();
        return "took " + element + " after " + (before + 1);
    }

    /** Through the class, not the interface, with a value below the call on the operand stack. */
    public static String takeFromClass() throws InterruptedException {
        LinkedBlockingQueue<String> queue = the();
        return new StringBuilder("took ").append(queue.take()).toString();
    }

    /** An uninitialised object on the operand stack across the call. */
    public static String takeIntoConstructor() throws InterruptedException {
        BlockingQueue<String> queue = the();
        return new String("took " + new String(queue.take()));
    }

    public static String takeOrInterrupted() {
        BlockingQueue<String> queue = the();
        try {
            return "took " + queue.take();
        } catch (InterruptedException e) {
            return "interrupted, flag " + Thread.currentThread().isInterrupted();
        }
    }

    public static String takeFirst() throws InterruptedException {
        return "took " + ((BlockingDeque<String>) the()).takeFirst();
    }

    public static String takeLast() throws InterruptedException {
        return "took " + ((BlockingDeque<String>) the()).takeLast();
    }

    public static String poll() throws InterruptedException {
        return "polled " + ((BlockingQueue<String>) the()).poll(LONG, TimeUnit.SECONDS);
    }

    public static String pollFirst() throws InterruptedException {
        return "polled " + ((BlockingDeque<String>) the()).pollFirst(LONG, TimeUnit.SECONDS);
    }

    public static String pollLast() throws InterruptedException {
        return "polled " + ((BlockingDeque<String>) the()).pollLast(LONG, TimeUnit.SECONDS);
    }

    public static String put() throws InterruptedException {
        ((BlockingQueue<String>) the()).put("b");
        return "put";
    }

    public static String putFirst() throws InterruptedException {
        ((BlockingDeque<String>) the()).putFirst("b");
        return "put";
    }

    public static String putLast() throws InterruptedException {
        ((BlockingDeque<String>) the()).putLast("b");
        return "put";
    }

    public static String offer() throws InterruptedException {
        return "offered " + ((BlockingQueue<String>) the()).offer("b", LONG, TimeUnit.SECONDS);
    }

    public static String offerFirst() throws InterruptedException {
        return "offered " + ((BlockingDeque<String>) the()).offerFirst("b", LONG, TimeUnit.SECONDS);
    }

    public static String offerLast() throws InterruptedException {
        return "offered " + ((BlockingDeque<String>) the()).offerLast("b", LONG, TimeUnit.SECONDS);
    }

    public static String await() throws InterruptedException {
        ((CountDownLatch) the()).await();
        return "opened";
    }

    public static String awaitTimed() throws InterruptedException {
        return "opened " + ((CountDownLatch) the()).await(LONG, TimeUnit.SECONDS);
    }

    public static String acquire() throws InterruptedException {
        ((Semaphore) the()).acquire();
        return "acquired";
    }

    public static String acquireTwo() throws InterruptedException {
        ((Semaphore) the()).acquire(2);
        return "acquired";
    }

    public static String acquireUninterruptibly() {
        ((Semaphore) the()).acquireUninterruptibly();
        return "acquired";
    }

    public static String acquireTwoUninterruptibly() {
        ((Semaphore) the()).acquireUninterruptibly(2);
        return "acquired";
    }

    public static String tryAcquire() throws InterruptedException {
        return "acquired " + ((Semaphore) the()).tryAcquire(LONG, TimeUnit.SECONDS);
    }

    public static String tryAcquireTwo() throws InterruptedException {
        return "acquired " + ((Semaphore) the()).tryAcquire(2, LONG, TimeUnit.SECONDS);
    }

    public static String get() throws Exception {
        return "got " + ((Future<String>) the()).get();
    }

    public static String getTimed() throws Exception {
        return "got " + ((Future<String>) the()).get(LONG, TimeUnit.SECONDS);
    }

    public static String getFromCompletableFuture() throws Exception {
        return "got " + ((CompletableFuture<String>) the()).get();
    }

    public static String takeCompleted() throws Exception {
        return "completed " + ((CompletionService<String>) the()).take().get();
    }

    public static String pollCompleted() throws Exception {
        return "completed " + ((CompletionService<String>) the()).poll(LONG, TimeUnit.SECONDS).get();
    }

    public static String awaitTermination() throws InterruptedException {
        return "terminated " + ((ExecutorService) the()).awaitTermination(LONG, TimeUnit.SECONDS);
    }

    public static String invokeAll() throws InterruptedException {
        return "invoked " + ((ExecutorService) the()).invokeAll(List.of(() -> "a", () -> "b")).size();
    }

    public static String invokeAllTimed() throws InterruptedException {
        return "invoked " + ((ExecutorService) the()).invokeAll(List.of(() -> "a"), LONG, TimeUnit.SECONDS).size();
    }

    public static String exchange() throws InterruptedException {
        return "exchanged for " + ((Exchanger<String>) the()).exchange("mine");
    }

    public static String exchangeTimed() throws Exception {
        return "exchanged for " + ((Exchanger<String>) the()).exchange("mine", LONG, TimeUnit.SECONDS);
    }

    public static String awaitAdvance() {
        return "advanced to " + ((Phaser) the()).awaitAdvance(0);
    }

    public static String awaitAdvanceInterruptibly() throws InterruptedException {
        return "advanced to " + ((Phaser) the()).awaitAdvanceInterruptibly(0);
    }

    public static String awaitAdvanceInterruptiblyTimed() throws Exception {
        return "advanced to " + ((Phaser) the()).awaitAdvanceInterruptibly(0, LONG, TimeUnit.SECONDS);
    }

    public static String arriveAndAwaitAdvance() {
        return "advanced to " + ((Phaser) the()).arriveAndAwaitAdvance();
    }

    public static String join() throws InterruptedException {
        ((Thread) the()).join();
        return "joined";
    }

    public static String joinMillis() throws InterruptedException {
        ((Thread) the()).join(LONG * 1000);
        return "joined";
    }

    public static String joinMillisNanos() throws InterruptedException {
        ((Thread) the()).join(LONG * 1000, 5);
        return "joined";
    }

    public static String timeUnitSleep() throws InterruptedException {
        TimeUnit.SECONDS.sleep(LONG);
        return "slept";
    }

    public static String parkUntilReleased() {
        while (!released) {
            LockSupport.park(BlockingTarget.class);
        }
        return "released";
    }
}
