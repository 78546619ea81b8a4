package dev.stasis.samples.waits;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Threads that spend their time blocked in waits that return holding a lock: a producer and a consumer
 * handing items through a one-slot box guarded by {@code synchronized} methods ({@code Object.wait}/
 * {@code notifyAll}), another pair through a box guarded by a {@code ReentrantLock} and two
 * {@code Condition}s, and three workers meeting at a {@code CyclicBarrier} every round. The producers
 * pause a little between items, so at any moment most threads are waiting. Every total is fixed by the
 * arguments alone, so a run checkpointed, killed and resumed at any moment prints what an uninterrupted
 * run prints.
 *
 * <p>Arguments: items per hand-off, barrier rounds, pause between items in milliseconds.
 */
public final class WaitingThreads {
    private static final int WORKERS = 3;

    private WaitingThreads() {
    }

    public static void main(String[] args) throws Exception {
        int items = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        long pauseMillis = Long.parseLong(args[2]);
        MonitorBox monitorBox = new MonitorBox();
        ConditionBox conditionBox = new ConditionBox();
        long[] monitorSum = new long[1];
        long[] conditionSum = new long[1];
        long[] contributions = new long[WORKERS];
        long[] barrierTotal = new long[1];
        CyclicBarrier barrier = new CyclicBarrier(WORKERS, new RoundTotal(contributions, barrierTotal));
        Finished finished = new Finished();

        System.out.println("starting: " + items + " items, " + rounds + " rounds");
        start("monitor-producer", new Produce(items, pauseMillis, monitorBox, null), finished);
        start("monitor-consumer", new Consume(items, monitorBox, null, monitorSum), finished);
        start("condition-producer", new Produce(items, pauseMillis, null, conditionBox), finished);
        start("condition-consumer", new Consume(items, null, conditionBox, conditionSum), finished);
        for (int w = 0; w < WORKERS; w++) {
            start("barrier-worker-" + w, new Rounds(w, rounds, pauseMillis, barrier, contributions), finished);
        }
        finished.await(4 + WORKERS);

        System.out.println("monitor sum " + monitorSum[0]);
        System.out.println("condition sum " + conditionSum[0]);
        System.out.println("barrier total " + barrierTotal[0]);
        System.out.println("RESULT " + ((monitorSum[0] * 31 + conditionSum[0]) * 31 + barrierTotal[0]));
    }

    private static void start(String name, Runnable work, Finished finished) {
        new Thread(new Counted(work, finished), name).start();
    }

    /** A one-slot box guarded by its monitor. */
    static final class MonitorBox {
        private long item;
        private boolean full;

        synchronized void put(long value) throws InterruptedException {
            while (full) {
                wait();
            }
            item = value;
            full = true;
            notifyAll();
        }

        synchronized long take() throws InterruptedException {
            while (!full) {
                wait();
            }
            full = false;
            notifyAll();
            return item;
        }
    }

    /** A one-slot box guarded by a lock and two conditions. */
    static final class ConditionBox {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition notFull = lock.newCondition();
        private final Condition notEmpty = lock.newCondition();
        private long item;
        private boolean full;

        void put(long value) throws InterruptedException {
            lock.lock();
            try {
                while (full) {
                    notFull.await();
                }
                item = value;
                full = true;
                notEmpty.signal();
            } finally {
                lock.unlock();
            }
        }

        long take() throws InterruptedException {
            lock.lock();
            try {
                while (!full) {
                    notEmpty.await();
                }
                full = false;
                notFull.signal();
                return item;
            } finally {
                lock.unlock();
            }
        }
    }

    /** Counts finished threads; main waits for all of them. */
    static final class Finished {
        private int count;

        synchronized void done() {
            count++;
            notifyAll();
        }

        synchronized void await(int threads) throws InterruptedException {
            while (count < threads) {
                wait();
            }
        }
    }

    static final class Counted implements Runnable {
        private final Runnable work;
        private final Finished finished;

        Counted(Runnable work, Finished finished) {
            this.work = work;
            this.finished = finished;
        }

        @Override
        public void run() {
            work.run();
            finished.done();
        }
    }

    static final class Produce implements Runnable {
        private final int items;
        private final long pauseMillis;
        private final MonitorBox monitorBox;
        private final ConditionBox conditionBox;

        Produce(int items, long pauseMillis, MonitorBox monitorBox, ConditionBox conditionBox) {
            this.items = items;
            this.pauseMillis = pauseMillis;
            this.monitorBox = monitorBox;
            this.conditionBox = conditionBox;
        }

        @Override
        public void run() {
            try {
                for (long i = 1; i <= items; i++) {
                    Thread.sleep(pauseMillis);
                    long value = i * i % 1_000_003;
                    if (monitorBox != null) {
                        monitorBox.put(value);
                    } else {
                        conditionBox.put(value);
                    }
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException("producer interrupted", e);
            }
        }
    }

    static final class Consume implements Runnable {
        private final int items;
        private final MonitorBox monitorBox;
        private final ConditionBox conditionBox;
        private final long[] sum;

        Consume(int items, MonitorBox monitorBox, ConditionBox conditionBox, long[] sum) {
            this.items = items;
            this.monitorBox = monitorBox;
            this.conditionBox = conditionBox;
            this.sum = sum;
        }

        @Override
        public void run() {
            try {
                long total = 0;
                for (int i = 0; i < items; i++) {
                    total = total * 7 + (monitorBox != null ? monitorBox.take() : conditionBox.take()); // order matters
                }
                sum[0] = total;
            } catch (InterruptedException e) {
                throw new IllegalStateException("consumer interrupted", e);
            }
        }
    }

    /** One worker: each round contributes a value, then meets the others at the barrier. */
    static final class Rounds implements Runnable {
        private final int worker;
        private final int rounds;
        private final long pauseMillis;
        private final CyclicBarrier barrier;
        private final long[] contributions;

        Rounds(int worker, int rounds, long pauseMillis, CyclicBarrier barrier, long[] contributions) {
            this.worker = worker;
            this.rounds = rounds;
            this.pauseMillis = pauseMillis;
            this.barrier = barrier;
            this.contributions = contributions;
        }

        @Override
        public void run() {
            try {
                for (int round = 1; round <= rounds; round++) {
                    Thread.sleep(pauseMillis * (worker + 1));
                    contributions[worker] = (long) round * (worker + 2);
                    barrier.await();
                }
            } catch (Exception e) {
                throw new IllegalStateException("worker " + worker + " failed", e);
            }
        }
    }

    /** The barrier's action: adds the round's contributions, in worker order, to the total. */
    static final class RoundTotal implements Runnable {
        private final long[] contributions;
        private final long[] total;

        RoundTotal(long[] contributions, long[] total) {
            this.contributions = contributions;
            this.total = total;
        }

        @Override
        public void run() {
            for (long contribution : contributions) {
                total[0] = total[0] * 3 + contribution;
            }
        }
    }
}
