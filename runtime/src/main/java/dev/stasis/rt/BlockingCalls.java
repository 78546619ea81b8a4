package dev.stasis.rt;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionService;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Exchanger;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.Future;
import java.util.concurrent.Phaser;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What a blocking call of instrumented code becomes when only an interrupt can end it early (a queue's
 * {@code take}, a latch's {@code await}, {@code Thread.join} ...). The instrumenter replaces each such call
 * with a loop whose header gets a poll, the receiver and arguments in fresh locals:
 * <pre>
 *   [long deadline = BlockingCalls.deadline(timeout, unit);]   // timed calls: once, before the loop
 *   WAIT: r = BlockingCalls.take(queue[, deadline]);
 *   if (r == BlockingCalls.NOT_YET) goto WAIT;                 // the loop header gets a poll
 * </pre>
 * A helper returns {@link #NOT_YET} as soon as a checkpoint becomes pending: the call is cut short by an
 * {@link InterruptWake} (the program's own interrupts still throw as before), which changes nothing in these
 * primitives, so the caller is captured at the poll with nothing taken, put, acquired or counted, and makes
 * the call again afterwards. A timed call keeps its deadline on the offset clock ({@link Stasis#nanoTime()}),
 * so a resumed wait, in this process or after a relaunch, waits only what was left.
 *
 * <p>Results are boxed ({@code Boolean}, {@code Integer}) or null for {@code void} calls; the rewritten code
 * unboxes or drops them. Each helper throws what the call it stands for throws, declared or not.
 */
public final class BlockingCalls {
    /** Returned instead of a result: the call was cut short for a checkpoint; poll, then call again. */
    public static final Object NOT_YET = new NotYet();
    /** While a checkpoint is pending but does not take this thread, it rechecks this often rather than spin. */
    private static final long PENDING_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private BlockingCalls() {
    }

    // ---- deadlines: computed once, before the loop, on the offset clock

    /** The deadline of a call waiting {@code timeout} in {@code unit}; throws for a null unit as the call does. */
    public static long deadline(long timeout, TimeUnit unit) {
        return afterNanos(unit.toNanos(timeout)); // toNanos saturates
    }

    /** The deadline of a call waiting {@code duration}; throws for a null duration as the call does. */
    public static long deadline(Duration duration) {
        return afterNanos(TimeUnit.NANOSECONDS.convert(duration)); // saturates
    }

    /** The deadline of {@code Thread.join(millis)} (0 waits forever); throws what it throws for a negative argument. */
    public static long joinDeadline(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("timeout value is negative");
        }
        return afterNanos(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    /** The deadline of {@code Thread.join(millis, nanos)}; throws what it throws for bad arguments. */
    public static long joinDeadline(long millis, int nanos) {
        if (millis < 0) {
            throw new IllegalArgumentException("timeout value is negative");
        }
        if (nanos < 0 || nanos > 999_999) {
            throw new IllegalArgumentException("nanosecond timeout value out of range");
        }
        long whole = TimeUnit.MILLISECONDS.toNanos(millis);
        return afterNanos(whole > Long.MAX_VALUE - nanos ? Long.MAX_VALUE : whole + nanos);
    }

    /**
     * Deadlines are compared by difference, so {@code now + nanos} may overflow harmlessly; a negative wait
     * is a wait of zero (else the difference could wrap round to a very long wait).
     */
    private static long afterNanos(long nanos) {
        return Stasis.nanoTime() + Math.max(0, nanos);
    }

    /**
     * True when {@code receiver}'s {@code method} (name and parameter descriptor, e.g. {@code "take()"}) is the
     * JDK's own code, which the helpers of this class may call in its place. False for the application's own
     * override or implementation (and for a null receiver): the rewritten code then makes the original call,
     * so that the application's code keeps its own points and the null receiver its exception.
     */
    public static boolean runsJdkCode(Object receiver, String method) {
        if (receiver == null) {
            return false;
        }
        Class<?> type = receiver.getClass();
        if (type.getClassLoader() == null) {
            return true; // a bootstrap class and so all of its super classes are the JDK's
        }
        return JdkDeclared.INSTANCE.declaresInJdk(type, method);
    }

    // ---- Thread.join

    public static Object join(Thread thread) throws InterruptedException {
        return complete(new Join(thread));
    }

    /** {@code join(millis)}: {@code millis == 0} waits forever, as {@code join} does. */
    public static Object join(Thread thread, long millis, long deadline) throws InterruptedException {
        return complete(millis == 0 ? new Join(thread) : new TimedJoin(thread, deadline));
    }

    public static Object join(Thread thread, long millis, int nanos, long deadline) throws InterruptedException {
        return complete(millis == 0 && nanos == 0 ? new Join(thread) : new TimedJoin(thread, deadline));
    }

    /** {@code join(Duration)} (JDK 19 and later): true when the thread has terminated. */
    public static Object join(Thread thread, long deadline) throws InterruptedException {
        if (thread.getState() == Thread.State.NEW) {
            throw new IllegalThreadStateException("Thread not started");
        }
        return complete(new TimedJoin(thread, deadline));
    }

    // ---- BlockingQueue and BlockingDeque

    public static Object take(BlockingQueue<?> queue) throws InterruptedException {
        return complete(new Take(queue, Take.QUEUE));
    }

    public static Object takeFirst(BlockingDeque<?> deque) throws InterruptedException {
        return complete(new Take(deque, Take.FIRST));
    }

    public static Object takeLast(BlockingDeque<?> deque) throws InterruptedException {
        return complete(new Take(deque, Take.LAST));
    }

    public static Object poll(BlockingQueue<?> queue, long deadline) throws InterruptedException {
        return complete(new TimedPoll(queue, Take.QUEUE, deadline));
    }

    public static Object pollFirst(BlockingDeque<?> deque, long deadline) throws InterruptedException {
        return complete(new TimedPoll(deque, Take.FIRST, deadline));
    }

    public static Object pollLast(BlockingDeque<?> deque, long deadline) throws InterruptedException {
        return complete(new TimedPoll(deque, Take.LAST, deadline));
    }

    public static Object put(BlockingQueue<?> queue, Object element) throws InterruptedException {
        return complete(new Put(queue, Take.QUEUE, element));
    }

    public static Object putFirst(BlockingDeque<?> deque, Object element) throws InterruptedException {
        return complete(new Put(deque, Take.FIRST, element));
    }

    public static Object putLast(BlockingDeque<?> deque, Object element) throws InterruptedException {
        return complete(new Put(deque, Take.LAST, element));
    }

    public static Object offer(BlockingQueue<?> queue, Object element, long deadline) throws InterruptedException {
        return complete(new TimedOffer(queue, Take.QUEUE, element, deadline));
    }

    public static Object offerFirst(BlockingDeque<?> deque, Object element, long deadline)
            throws InterruptedException {
        return complete(new TimedOffer(deque, Take.FIRST, element, deadline));
    }

    public static Object offerLast(BlockingDeque<?> deque, Object element, long deadline)
            throws InterruptedException {
        return complete(new TimedOffer(deque, Take.LAST, element, deadline));
    }

    // ---- CountDownLatch, Semaphore

    public static Object await(CountDownLatch latch) throws InterruptedException {
        return complete(new LatchAwait(latch));
    }

    public static Object await(CountDownLatch latch, long deadline) throws InterruptedException {
        return complete(new TimedLatchAwait(latch, deadline));
    }

    public static Object acquire(Semaphore semaphore) throws InterruptedException {
        return complete(new Acquire(semaphore, 1));
    }

    public static Object acquire(Semaphore semaphore, int permits) throws InterruptedException {
        return complete(new Acquire(semaphore, permits));
    }

    public static Object acquireUninterruptibly(Semaphore semaphore) {
        return completeUninterruptibly(new Acquire(semaphore, 1));
    }

    public static Object acquireUninterruptibly(Semaphore semaphore, int permits) {
        return completeUninterruptibly(new Acquire(semaphore, permits));
    }

    public static Object tryAcquire(Semaphore semaphore, long deadline) throws InterruptedException {
        return complete(new TimedTryAcquire(semaphore, 1, deadline));
    }

    public static Object tryAcquire(Semaphore semaphore, int permits, long deadline) throws InterruptedException {
        return complete(new TimedTryAcquire(semaphore, permits, deadline));
    }

    // ---- Future, ExecutorService, Exchanger, Phaser

    /** Declared {@code throws InterruptedException, ExecutionException} like {@code Future.get()}. */
    public static Object get(Future<?> future) throws InterruptedException {
        return complete(new FutureGet(future));
    }

    /** Throws what {@code Future.get(timeout, unit)} throws, {@code TimeoutException} included. */
    public static Object get(Future<?> future, long deadline) throws InterruptedException {
        return complete(new TimedFutureGet(future, deadline));
    }

    /** {@code CompletionService.take()}: the next completed task's future. */
    public static Object take(CompletionService<?> service) throws InterruptedException {
        return complete(new CompletionTake(service));
    }

    /** {@code CompletionService.poll(timeout, unit)}. */
    public static Object poll(CompletionService<?> service, long deadline) throws InterruptedException {
        return complete(new TimedCompletionPoll(service, deadline));
    }

    public static Object awaitTermination(ExecutorService executor, long deadline) throws InterruptedException {
        return complete(new TimedAwaitTermination(executor, deadline));
    }

    /** The first step of {@code invokeAll}: every task submitted once (see {@link InvokeAll}). */
    public static List<Future<?>> submitAll(ExecutorService executor, Collection<?> tasks) {
        return InvokeAll.submitAll(executor, tasks);
    }

    /** The wait of {@code invokeAll(tasks)} for the futures {@link #submitAll} returned. */
    public static Object invokeAll(ExecutorService executor, Collection<?> tasks, List<Future<?>> submitted)
            throws InterruptedException {
        return cancelledOnInterrupt(new InvokeAll.AllDone(submitted), submitted);
    }

    /** The wait of {@code invokeAll(tasks, timeout, unit)}: unfinished tasks are cancelled at the deadline. */
    public static Object invokeAll(ExecutorService executor, Collection<?> tasks, long deadline,
                                   List<Future<?>> submitted) throws InterruptedException {
        return cancelledOnInterrupt(new InvokeAll.AllDoneBy(submitted, deadline), submitted);
    }

    /** The program's interrupt ends an {@code invokeAll} with every task cancelled (an interrupt of ours never gets here). */
    private static Object cancelledOnInterrupt(BlockingCall call, List<Future<?>> submitted) {
        try {
            return complete(call);
        } catch (Throwable e) {
            if (e instanceof InterruptedException) {
                InvokeAll.cancelAll(submitted);
            }
            throw e;
        }
    }

    /** The first step of {@code ExecutorService.close()}: {@code shutdown()} once; what its wait remembers. */
    public static boolean[] beginClose(ExecutorService executor) {
        return ExecutorClose.begin(executor);
    }

    /**
     * The wait of {@code ExecutorService.close()} (see {@link ExecutorClose}) until the executor has terminated.
     * The program's first interrupt calls {@code shutdownNow()}, noted in {@code interrupted[0]}, and the wait goes
     * on; the interrupt status is set again when it returns its result, not when it returns {@link #NOT_YET}:
     * the array in the caller's frame remembers it. An interrupt that arrives while the thread is captured (parked
     * after a {@code NOT_YET} until the checkpoint is written) stays set, so the next call takes it as one that
     * came during the wait, as the JDK's close() would; a snapshot holds no interrupt status, so a run relaunched
     * from that snapshot never sees it (one the wait took before the capture is in {@code interrupted[0]}).
     * A {@code ForkJoinPool} gets its own {@code close()}, which is no safepoint.
     */
    public static Object close(ExecutorService executor, boolean[] interrupted) {
        if (executor instanceof ForkJoinPool) {
            ExecutorClose.closeForkJoinPool((ForkJoinPool) executor);
            return null;
        }
        try {
            while (true) {
                try {
                    Object result = run(new ExecutorClose.Termination(executor));
                    if (result != NOT_YET && interrupted[0]) {
                        Thread.currentThread().interrupt();
                    }
                    return result;
                } catch (InterruptedException programs) { // ours never gets here: run() returns NOT_YET for it
                    if (!interrupted[0]) {
                        executor.shutdownNow();
                        interrupted[0] = true;
                    }
                }
            }
        } catch (Exception e) {
            throw Rethrow.<RuntimeException>unchecked(e);
        }
    }

    public static Object exchange(Exchanger<Object> exchanger, Object value) throws InterruptedException {
        return complete(new Exchange(exchanger, value));
    }

    /** Throws {@code TimeoutException} as {@code exchange(x, timeout, unit)} does. */
    public static Object exchange(Exchanger<Object> exchanger, Object value, long deadline)
            throws InterruptedException {
        return complete(new TimedExchange(exchanger, value, deadline));
    }

    /**
     * The first half of {@code arriveAndAwaitAdvance()}, which is "equivalent in effect to
     * {@code awaitAdvance(arrive())}": the arrival happens once, before the loop; the wait is resumable.
     */
    public static int arrive(Phaser phaser) {
        return phaser.arrive();
    }

    /** {@code awaitAdvance(phase)}, which the program's interrupt does not end (its status is kept). */
    public static Object awaitAdvance(Phaser phaser, int phase) {
        return completeUninterruptibly(new AwaitAdvance(phaser, phase));
    }

    public static Object awaitAdvanceInterruptibly(Phaser phaser, int phase) throws InterruptedException {
        return complete(new AwaitAdvance(phaser, phase));
    }

    /** Throws {@code TimeoutException} as {@code awaitAdvanceInterruptibly(phase, timeout, unit)} does. */
    public static Object awaitAdvanceInterruptibly(Phaser phaser, int phase, long deadline)
            throws InterruptedException {
        return complete(new TimedAwaitAdvance(phaser, phase, deadline));
    }

    // ---- the protocol

    /** Makes {@code call} once: its result, or {@link #NOT_YET}; throws whatever the call throws. */
    static Object complete(BlockingCall call) {
        try {
            return run(call);
        } catch (Exception e) {
            throw Rethrow.<RuntimeException>unchecked(e);
        }
    }

    private static Object run(BlockingCall call) throws Exception {
        if (Thread.currentThread().isInterrupted()) {
            return call.whole(); // the program's interrupt: the call throws (or not) as it always did
        }
        if (call.mayRunOtherTasks() || Thread.currentThread() instanceof ForkJoinWorkerThread) {
            return call.whole(); // it may help run tasks of a pool, which our interrupt must not reach
        }
        if (Stasis.isPending()) {
            // The caller's poll just let this thread go (the checkpoint is not for it, or not yet): a
            // slice of the wait, then back to the poll, rather than a spin.
            Object result = call.slice(PENDING_SLICE_NANOS);
            return result == BlockingCall.SLICE_RAN_OUT ? NOT_YET : result;
        }
        InterruptWake wake = InterruptWake.arm(); // before the flag is read: raising it now interrupts the call
        if (Stasis.isPending()) {
            wake.disarm();
            return NOT_YET;
        }
        Object result;
        try {
            result = call.whole();
        } catch (InterruptedException e) {
            if (wake.disarm()) {
                return NOT_YET; // ours: the call changed nothing
            }
            throw e;
        } catch (Exception | Error e) {
            wake.disarm(); // a timeout or a failure: no interrupt of ours may stay set
            throw e;
        }
        wake.disarm(); // clears an interrupt that came after the call was done
        return result;
    }

    /**
     * For calls the program's interrupt does not end: its interrupt is taken off while the interruptible
     * form of the call waits, remembered, and set again on the way out (also when returning {@link #NOT_YET}).
     */
    static Object completeUninterruptibly(BlockingCall call) {
        boolean interrupted = Thread.interrupted();
        try {
            while (true) {
                try {
                    return run(call);
                } catch (InterruptedException programs) {
                    interrupted = true;
                }
            }
        } catch (Exception e) {
            throw Rethrow.<RuntimeException>unchecked(e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The sentinel's class, so that it prints as what it is. */
    private static final class NotYet {
        @Override
        public String toString() {
            return "BlockingCalls.NOT_YET";
        }
    }

    /** Throws a checked exception through a method that does not declare it (each helper declares its call's). */
    private static final class Rethrow {
        private Rethrow() {
        }

        @SuppressWarnings("unchecked")
        static <T extends Throwable> T unchecked(Throwable thrown) throws T {
            throw (T) thrown;
        }
    }

    /** Waits at most {@code nanos} for {@code thread} in {@code join(millis, nanos)}, which cannot wait less than that. */
    private static void joinFor(Thread thread, long nanos) throws InterruptedException {
        thread.join(nanos / 1_000_000, (int) (nanos % 1_000_000)); // nanos > 0, so never join(0, 0), which waits forever
    }

    private static final class Join extends BlockingCall {
        private final Thread thread;

        Join(Thread thread) {
            this.thread = thread;
        }

        @Override
        Object whole() throws InterruptedException {
            thread.join();
            return null;
        }

        @Override
        Object slice(long nanos) throws InterruptedException {
            joinFor(thread, nanos);
            return thread.isAlive() ? SLICE_RAN_OUT : null;
        }
    }

    private static final class TimedJoin extends BlockingCall.TimedBoolean {
        private final Thread thread;

        TimedJoin(Thread thread, long deadline) {
            super(deadline);
            this.thread = thread;
        }

        /** True when the thread has terminated ({@code join(Duration)}'s result; {@code join(millis)} drops it). */
        @Override
        Object waitAtMost(long nanos) throws InterruptedException {
            if (nanos > 0) { // join(millis) neither waits nor checks the interrupt once its time is up
                joinFor(thread, nanos);
            }
            return thread.getState() == Thread.State.TERMINATED;
        }
    }

    /** A take from a queue ({@link #QUEUE}) or from one end of a deque. */
    private static final class Take extends BlockingCall {
        /** Which end a queue call works on: {@code take}/{@code poll}/{@code put}/{@code offer}, or a deque's ...First or ...Last. */
        static final int QUEUE = 0;
        static final int FIRST = 1;
        static final int LAST = 2;

        private final BlockingQueue<?> queue;
        private final int end;

        Take(BlockingQueue<?> queue, int end) {
            this.queue = queue;
            this.end = end;
        }

        @Override
        Object whole() throws InterruptedException {
            switch (end) {
                case FIRST:
                    return ((BlockingDeque<?>) queue).takeFirst();
                case LAST:
                    return ((BlockingDeque<?>) queue).takeLast();
                default:
                    return queue.take();
            }
        }

        @Override
        Object slice(long nanos) throws InterruptedException {
            Object element = pollAtMost(queue, end, nanos);
            return element == null ? SLICE_RAN_OUT : element;
        }
    }

    private static Object pollAtMost(BlockingQueue<?> queue, int end, long nanos) throws InterruptedException {
        switch (end) {
            case Take.FIRST:
                return ((BlockingDeque<?>) queue).pollFirst(nanos, TimeUnit.NANOSECONDS);
            case Take.LAST:
                return ((BlockingDeque<?>) queue).pollLast(nanos, TimeUnit.NANOSECONDS);
            default:
                return queue.poll(nanos, TimeUnit.NANOSECONDS);
        }
    }

    @SuppressWarnings("unchecked")
    private static boolean offerAtMost(BlockingQueue<?> queue, int end, Object element, long nanos)
            throws InterruptedException {
        switch (end) {
            case Take.FIRST:
                return ((BlockingDeque<Object>) queue).offerFirst(element, nanos, TimeUnit.NANOSECONDS);
            case Take.LAST:
                return ((BlockingDeque<Object>) queue).offerLast(element, nanos, TimeUnit.NANOSECONDS);
            default:
                return ((BlockingQueue<Object>) queue).offer(element, nanos, TimeUnit.NANOSECONDS);
        }
    }

    private static final class TimedPoll extends BlockingCall.TimedNullable {
        private final BlockingQueue<?> queue;
        private final int end;

        TimedPoll(BlockingQueue<?> queue, int end, long deadline) {
            super(deadline);
            this.queue = queue;
            this.end = end;
        }

        @Override
        Object waitAtMost(long nanos) throws InterruptedException {
            return pollAtMost(queue, end, nanos);
        }
    }

    private static final class Put extends BlockingCall {
        private final BlockingQueue<Object> queue;
        private final int end;
        private final Object element;

        @SuppressWarnings("unchecked")
        Put(BlockingQueue<?> queue, int end, Object element) {
            this.queue = (BlockingQueue<Object>) queue;
            this.end = end;
            this.element = element;
        }

        @Override
        Object whole() throws InterruptedException {
            switch (end) {
                case Take.FIRST:
                    ((BlockingDeque<Object>) queue).putFirst(element);
                    break;
                case Take.LAST:
                    ((BlockingDeque<Object>) queue).putLast(element);
                    break;
                default:
                    queue.put(element);
            }
            return null;
        }

        @Override
        Object slice(long nanos) throws InterruptedException {
            return offerAtMost(queue, end, element, nanos) ? null : SLICE_RAN_OUT;
        }
    }

    private static final class TimedOffer extends BlockingCall.TimedBoolean {
        private final BlockingQueue<?> queue;
        private final int end;
        private final Object element;

        TimedOffer(BlockingQueue<?> queue, int end, Object element, long deadline) {
            super(deadline);
            this.queue = queue;
            this.end = end;
            this.element = element;
        }

        @Override
        Object waitAtMost(long nanos) throws InterruptedException {
            return offerAtMost(queue, end, element, nanos);
        }
    }

    private static final class LatchAwait extends BlockingCall {
        private final CountDownLatch latch;

        LatchAwait(CountDownLatch latch) {
            this.latch = latch;
        }

        @Override
        Object whole() throws InterruptedException {
            latch.await();
            return null;
        }

        @Override
        Object slice(long nanos) throws InterruptedException {
            return latch.await(nanos, TimeUnit.NANOSECONDS) ? null : SLICE_RAN_OUT;
        }
    }

    private static final class TimedLatchAwait extends BlockingCall.TimedBoolean {
        private final CountDownLatch latch;

        TimedLatchAwait(CountDownLatch latch, long deadline) {
            super(deadline);
            this.latch = latch;
        }

        @Override
        Object waitAtMost(long nanos) throws InterruptedException {
            return latch.await(nanos, TimeUnit.NANOSECONDS);
        }
    }

    private static final class Acquire extends BlockingCall {
        private final Semaphore semaphore;
        private final int permits;

        Acquire(Semaphore semaphore, int permits) {
            this.semaphore = semaphore;
            this.permits = permits;
        }

        @Override
        Object whole() throws InterruptedException {
            semaphore.acquire(permits);
            return null;
        }

        @Override
        Object slice(long nanos) throws InterruptedException {
            return semaphore.tryAcquire(permits, nanos, TimeUnit.NANOSECONDS) ? null : SLICE_RAN_OUT;
        }
    }

    private static final class TimedTryAcquire extends BlockingCall.TimedBoolean {
        private final Semaphore semaphore;
        private final int permits;

        TimedTryAcquire(Semaphore semaphore, int permits, long deadline) {
            super(deadline);
            this.semaphore = semaphore;
            this.permits = permits;
        }

        @Override
        Object waitAtMost(long nanos) throws InterruptedException {
            return semaphore.tryAcquire(permits, nanos, TimeUnit.NANOSECONDS);
        }
    }

    private static final class FutureGet extends BlockingCall {
        private final Future<?> future;

        FutureGet(Future<?> future) {
            this.future = future;
        }

        @Override
        boolean mayRunOtherTasks() {
            return future instanceof ForkJoinTask;
        }

        @Override
        Object whole() throws Exception {
            return future.get();
        }

        @Override
        Object slice(long nanos) throws Exception {
            try {
                return future.get(nanos, TimeUnit.NANOSECONDS);
            } catch (TimeoutException notDone) {
                return SLICE_RAN_OUT;
            }
        }
    }

    private static final class TimedFutureGet extends BlockingCall.TimedThrowing {
        private final Future<?> future;

        TimedFutureGet(Future<?> future, long deadline) {
            super(deadline);
            this.future = future;
        }

        @Override
        boolean mayRunOtherTasks() {
            return future instanceof ForkJoinTask;
        }

        @Override
        Object waitAtMost(long nanos) throws Exception {
            return future.get(nanos, TimeUnit.NANOSECONDS);
        }
    }

    private static final class CompletionTake extends BlockingCall {
        private final CompletionService<?> service;

        CompletionTake(CompletionService<?> service) {
            this.service = service;
        }

        @Override
        Object whole() throws InterruptedException {
            return service.take();
        }

        @Override
        Object slice(long nanos) throws InterruptedException {
            Object done = service.poll(nanos, TimeUnit.NANOSECONDS);
            return done == null ? SLICE_RAN_OUT : done;
        }
    }

    private static final class TimedCompletionPoll extends BlockingCall.TimedNullable {
        private final CompletionService<?> service;

        TimedCompletionPoll(CompletionService<?> service, long deadline) {
            super(deadline);
            this.service = service;
        }

        @Override
        Object waitAtMost(long nanos) throws InterruptedException {
            return service.poll(nanos, TimeUnit.NANOSECONDS);
        }
    }

    private static final class TimedAwaitTermination extends BlockingCall.TimedBoolean {
        private final ExecutorService executor;

        TimedAwaitTermination(ExecutorService executor, long deadline) {
            super(deadline);
            this.executor = executor;
        }

        @Override
        boolean mayRunOtherTasks() {
            return executor instanceof ForkJoinPool;
        }

        @Override
        Object waitAtMost(long nanos) throws InterruptedException {
            return executor.awaitTermination(nanos, TimeUnit.NANOSECONDS);
        }
    }

    private static final class Exchange extends BlockingCall {
        private final Exchanger<Object> exchanger;
        private final Object value;

        Exchange(Exchanger<Object> exchanger, Object value) {
            this.exchanger = exchanger;
            this.value = value;
        }

        @Override
        Object whole() throws InterruptedException {
            return exchanger.exchange(value);
        }

        @Override
        Object slice(long nanos) throws InterruptedException {
            try {
                return exchanger.exchange(value, nanos, TimeUnit.NANOSECONDS);
            } catch (TimeoutException noPartner) {
                return SLICE_RAN_OUT; // the offer was withdrawn: nothing exchanged
            }
        }
    }

    private static final class TimedExchange extends BlockingCall.TimedThrowing {
        private final Exchanger<Object> exchanger;
        private final Object value;

        TimedExchange(Exchanger<Object> exchanger, Object value, long deadline) {
            super(deadline);
            this.exchanger = exchanger;
            this.value = value;
        }

        @Override
        Object waitAtMost(long nanos) throws Exception {
            return exchanger.exchange(value, nanos, TimeUnit.NANOSECONDS);
        }
    }

    private static final class AwaitAdvance extends BlockingCall {
        private final Phaser phaser;
        private final int phase;

        AwaitAdvance(Phaser phaser, int phase) {
            this.phaser = phaser;
            this.phase = phase;
        }

        @Override
        Object whole() throws InterruptedException {
            return phaser.awaitAdvanceInterruptibly(phase);
        }

        @Override
        Object slice(long nanos) throws InterruptedException {
            try {
                return phaser.awaitAdvanceInterruptibly(phase, nanos, TimeUnit.NANOSECONDS);
            } catch (TimeoutException notYet) {
                return SLICE_RAN_OUT;
            }
        }
    }

    private static final class TimedAwaitAdvance extends BlockingCall.TimedThrowing {
        private final Phaser phaser;
        private final int phase;

        TimedAwaitAdvance(Phaser phaser, int phase, long deadline) {
            super(deadline);
            this.phaser = phaser;
            this.phase = phase;
        }

        @Override
        Object waitAtMost(long nanos) throws Exception {
            return phaser.awaitAdvanceInterruptibly(phase, nanos, TimeUnit.NANOSECONDS);
        }
    }
}
