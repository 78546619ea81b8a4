package dev.stasis.rt;

import java.util.concurrent.TimeoutException;

/**
 * One blocking call of the program that only an interrupt can end early, as {@link BlockingCalls} makes
 * it: whole (as the program made it), or for a short slice of its time. Subclasses are small named
 * classes, one per call: this package is defined in the bootstrap loader, where lambdas are avoided.
 */
abstract class BlockingCall {
    /** What {@link #slice(long)} returns when the slice ran out and the call is not done. */
    static final Object SLICE_RAN_OUT = new Object();

    /**
     * Makes the call as the program made it (what is left of its own timeout, if it has one). Must
     * change nothing when it throws {@link InterruptedException}: no element, permit or count consumed.
     */
    abstract Object whole() throws Exception;

    /** Makes the call waiting at most {@code nanos}: its result, or {@link #SLICE_RAN_OUT}. */
    abstract Object slice(long nanos) throws Exception;

    /**
     * True when the call may run other tasks in the calling thread while it waits (a {@code ForkJoinTask}'s
     * {@code get}, a {@code ForkJoinPool}'s {@code awaitTermination}, which help): an interrupt sent to cut the
     * wait short could land in one of those tasks, so such a call is made as it was, and is no safepoint.
     */
    boolean mayRunOtherTasks() {
        return false;
    }

    /** A call with a timeout of its own, held as a deadline on the offset clock ({@link Stasis#nanoTime()}). */
    abstract static class Timed extends BlockingCall {
        private final long deadline;

        Timed(long deadline) {
            this.deadline = deadline;
        }

        /**
         * The call with the program's timeout replaced by {@code nanos} (zero or less: do not wait). Its
         * result when that time ran out is what the program's call returns then (null, false), or it throws
         * {@link TimeoutException} as the program's call does.
         */
        abstract Object waitAtMost(long nanos) throws Exception;

        /** True when {@code result} is what {@link #waitAtMost} returns once its time ran out. */
        abstract boolean ranOut(Object result);

        @Override
        final Object whole() throws Exception {
            return waitAtMost(deadline - Stasis.nanoTime());
        }

        @Override
        final Object slice(long nanos) throws Exception {
            long remaining = deadline - Stasis.nanoTime();
            if (remaining <= nanos) {
                return waitAtMost(remaining); // the program's own deadline ends this slice: its result stands
            }
            try {
                Object result = waitAtMost(nanos);
                return ranOut(result) ? SLICE_RAN_OUT : result;
            } catch (TimeoutException sliceEnded) {
                return SLICE_RAN_OUT;
            }
        }
    }

    /** A timed call whose timed-out result is {@code false}. */
    abstract static class TimedBoolean extends Timed {
        TimedBoolean(long deadline) {
            super(deadline);
        }

        @Override
        final boolean ranOut(Object result) {
            return Boolean.FALSE.equals(result);
        }
    }

    /** A timed call whose timed-out result is {@code null} (queues: their elements are never null). */
    abstract static class TimedNullable extends Timed {
        TimedNullable(long deadline) {
            super(deadline);
        }

        @Override
        final boolean ranOut(Object result) {
            return result == null;
        }
    }

    /** A timed call that throws {@link TimeoutException} when its time runs out; any result it returns is real. */
    abstract static class TimedThrowing extends Timed {
        TimedThrowing(long deadline) {
            super(deadline);
        }

        @Override
        final boolean ranOut(Object result) {
            return false;
        }
    }
}
