package dev.stasis.rt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InterruptWakeTest {
    private static final Object NOT_YET = new Object();

    @AfterEach
    void lowerFlag() {
        Stasis.setPending(false);
        Thread.interrupted();
    }

    /** The documented pattern, around a queue's take. */
    private static Object take(LinkedBlockingQueue<Object> queue) throws InterruptedException {
        InterruptWake wake = InterruptWake.arm();
        try {
            Object element = queue.take();
            wake.disarm();
            return element;
        } catch (InterruptedException e) {
            if (wake.disarm()) {
                return NOT_YET;
            }
            throw e;
        }
    }

    @Test
    void raisingTheSwitchCutsTheCallShortWithoutLeavingAnInterrupt() throws Exception {
        LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        CountDownLatch blocked = new CountDownLatch(1);
        CompletableFuture<Object[]> outcome = new CompletableFuture<>();
        Thread taker = new Thread(() -> {
            try {
                blocked.countDown();
                Object result = take(queue);
                outcome.complete(new Object[] {result, Thread.currentThread().isInterrupted()});
            } catch (Throwable t) {
                outcome.completeExceptionally(t);
            }
        });
        taker.start();
        blocked.await();
        while (taker.getState() != Thread.State.WAITING) {
            Thread.onSpinWait();
        }
        Stasis.setPending(true);
        Object[] result = outcome.get(10, TimeUnit.SECONDS);
        assertThat(result[0]).isSameAs(NOT_YET);
        assertThat(result[1]).isEqualTo(false);
        assertThat(queue).isEmpty();
    }

    @Test
    void theProgramsInterruptIsThrownAsBefore() throws Exception {
        LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread taker = new Thread(() -> {
            try {
                take(queue);
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        });
        taker.start();
        while (taker.getState() != Thread.State.WAITING) {
            Thread.onSpinWait();
        }
        taker.interrupt();
        assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
    }

    @Test
    void aWakeUpAfterTheCallReturnedDoesNothing() throws Exception {
        LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        queue.add("x");
        InterruptWake wake = InterruptWake.arm();
        assertThat(queue.take()).isEqualTo("x");
        assertThat(wake.disarm()).isFalse();
        wake.run();
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void anInterruptThatLandsAfterANormalReturnIsCleared() throws Exception {
        LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        queue.add("x");
        InterruptWake wake = InterruptWake.arm();
        Object element = queue.take();
        wake.run(); // the checkpoint became pending between the element and disarm
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
        assertThat(wake.disarm()).isTrue();
        assertThat(element).isEqualTo("x");
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(queue.poll(1, TimeUnit.MILLISECONDS)).isNull(); // no interrupt left to throw
    }
}
