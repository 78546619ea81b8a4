package dev.stasis.runtime.internal.capture;

import dev.stasis.rt.Frame;
import dev.stasis.rt.LockCalls;
import dev.stasis.rt.Stasis;
import dev.stasis.runtime.internal.registry.InstrumentedClasses;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * Programs written by hand the way the instrumenter rewrites code (ARCHITECTURE.md, "The
 * instrumentation protocol"): entry check, polls, saving into a {@link Frame}, {@code unwound},
 * {@code enter} and dispatch on the restored point. Java has no goto: the jump to a restore
 * point is the {@code point} variable. When {@code unwound} returns true (the bottom frame, after
 * the snapshot), the method carries on in place from the saved point: past the poll, or into the
 * same call again.
 */
final class ProtocolProgram {
    static final String OWNER = "dev/stasis/runtime/internal/capture/ProtocolProgram";
    /** Points: 0 entry, 1 the call to sum. */
    static final String MAIN = OWNER + ".main()V";
    /** Points: 0 entry, 1 loop header, 2 the call to step. */
    static final String SUM = OWNER + ".sum(I)J";
    /** Points: 0 entry. */
    static final String STEP = OWNER + ".step(I)J";
    /** Points: 0 entry, 1 loop header, 2 the call to step. */
    static final String SYNC_RUN = OWNER + ".syncRun()V";
    static final String SORTER = OWNER + ".sorter()V";
    static final String COMPARE = OWNER + ".compare(Ljava/lang/Integer;Ljava/lang/Integer;)I";
    static final String PLAIN_LOOP = OWNER + ".plainLoop()V";
    static final String BLOCK_LOOP = OWNER + ".blockLoop()V";
    static final String LOCK_LOOP = OWNER + ".lockLoop()V";
    static final String CONSTRUCTING = OWNER + ".constructing()V";

    private static final Object MONITOR = new Object();
    private static final ReentrantLock LOCK = new ReentrantLock();

    static volatile int n;
    static volatile long result;
    static volatile boolean stop;
    static volatile long rounds;
    static volatile IntConsumer onStep = i -> { };

    private ProtocolProgram() {
    }

    /** Registers what the instrumenter would have instrumented (plainLoop is left out on purpose). */
    static void register(InstrumentedClasses registry) {
        registry.recordInstrumented(MAIN, 2);
        registry.recordInstrumented(SUM, 3);
        registry.recordInstrumented(STEP, 1);
        registry.recordInstrumented(SYNC_RUN, 3);
        registry.recordInstrumented(SORTER, 2);
        registry.recordInstrumented(COMPARE, 1);
        registry.recordInstrumented(BLOCK_LOOP, 2);
        registry.recordInstrumented(LOCK_LOOP, 2);
        registry.recordInstrumented(CONSTRUCTING, 2);
    }

    static void reset() {
        n = 0;
        result = 0;
        stop = false;
        rounds = 0;
        onStep = i -> { };
    }

    static long sumOfSquaresBelow(int limit) {
        long total = 0;
        for (int i = 0; i < limit; i++) {
            total += (long) i * i;
        }
        return total;
    }

    /** {@code result = sum(n);} */
    static void main() {
        boolean slow = Stasis.isPending();
        int point = -1;
        int stashedArgument = 0;
        entry:
        while (true) {
            if (slow) {
                Frame f = Stasis.enter(MAIN);
                if (f != null) {
                    point = f.point;
                    stashedArgument = point == 1 ? f.ints[0] : 0;
                } else if (Stasis.poll() && !Stasis.unwound(new Frame(MAIN, 0, 0, 0, 0, 0, 0))) {
                    return;
                }
            }
            slow = true;
            int argument = point == 1 ? stashedArgument : n;
            point = -1;
            long r = sum(argument);
            if (Stasis.isPending() && Stasis.unwinding()) {
                Frame save = new Frame(MAIN, 1, 1, 0, 0, 0, 0);
                save.ints[0] = argument;
                if (Stasis.unwound(save)) {
                    // The bottom frame carries on in place: call sum again, which rewinds itself.
                    point = 1;
                    stashedArgument = argument;
                    slow = false;
                    continue entry;
                }
                return;
            }
            result = r;
            return;
        }
    }

    /** {@code long total = 0; for (int i = 0; i < n; i++) total += step(i); return total;} */
    static long sum(int n) {
        boolean slow = Stasis.isPending();
        int point = -1;
        int i = 0;
        long total = 0;
        entry:
        while (true) {
            if (slow) {
                Frame f = Stasis.enter(SUM);
                if (f != null) {
                    point = f.point;
                    n = f.ints[0];
                    i = f.ints[1];
                    total = f.longs[0];
                } else if (Stasis.poll() && !Stasis.unwound(save(SUM, 0, n, 0, 0))) {
                    return 0L;
                }
            }
            slow = true;
            if (point <= 0) {
                i = 0;
                total = 0;
            }
            boolean afterPoll = point == 1;
            boolean atCall = point == 2;
            point = -1;
            while (true) {
                if (!atCall) {
                    if (!afterPoll && Stasis.isPending() && Stasis.poll()
                            && !Stasis.unwound(save(SUM, 1, n, i, total))) {
                        return 0L;
                    }
                    afterPoll = false;
                    if (i >= n) {
                        return total;
                    }
                }
                atCall = false;
                long r = step(i);
                if (Stasis.isPending() && Stasis.unwinding()) {
                    if (Stasis.unwound(save(SUM, 2, n, i, total))) {
                        atCall = true; // carry on in place: call step(i) again, which rewinds itself
                        continue;
                    }
                    return 0L;
                }
                total += r;
                i++;
            }
        }
    }

    /** {@code onStep.accept(i); return i * i;} */
    static long step(int i) {
        boolean slow = Stasis.isPending();
        entry:
        while (true) {
            if (slow) {
                Frame f = Stasis.enter(STEP);
                if (f != null) {
                    i = f.ints[0];
                } else if (Stasis.poll()) {
                    Frame save = new Frame(STEP, 0, 1, 0, 0, 0, 0);
                    save.ints[0] = i;
                    if (!Stasis.unwound(save)) {
                        return 0L;
                    }
                }
            }
            onStep.accept(i);
            return (long) i * i;
        }
    }

    /** {@code synchronized: long total = 0; for (int i = 0; i < n; i++) total += step(i); result = total;} */
    static synchronized void syncRun() {
        boolean slow = Stasis.isPending();
        int point = -1;
        int i = 0;
        long total = 0;
        entry:
        while (true) {
            if (slow) {
                Frame f = Stasis.enter(SYNC_RUN);
                if (f != null) {
                    point = f.point;
                    i = f.ints[1];
                    total = f.longs[0];
                } else if (Stasis.poll() && !Stasis.unwound(save(SYNC_RUN, 0, 0, 0, 0))) {
                    return;
                }
            }
            slow = true;
            if (point <= 0) {
                i = 0;
                total = 0;
            }
            boolean afterPoll = point == 1;
            boolean atCall = point == 2;
            point = -1;
            while (true) {
                if (!atCall) {
                    if (!afterPoll && Stasis.isPending() && Stasis.poll()
                            && !Stasis.unwound(save(SYNC_RUN, 1, 0, i, total))) {
                        return;
                    }
                    afterPoll = false;
                    if (i >= n) {
                        result = total;
                        return;
                    }
                }
                atCall = false;
                long r = step(i);
                if (Stasis.isPending() && Stasis.unwinding()) {
                    if (Stasis.unwound(save(SYNC_RUN, 2, 0, i, total))) {
                        atCall = true; // carry on in place: call step(i) again, which rewinds itself
                        continue;
                    }
                    return;
                }
                total += r;
                i++;
            }
        }
    }

    /**
     * {@code while (!stop) Arrays.sort(values, ProtocolProgram::compare);} Its loop deliberately has
     * no poll, so the only polls are in the comparator, below {@code TimSort}.
     */
    static void sorter() {
        Integer[] values = {5, 3, 9, 1, 7, 2, 8};
        while (!stop) {
            Arrays.sort(values.clone(), ProtocolProgram::compare);
            rounds++;
        }
    }

    static int compare(Integer a, Integer b) {
        if (Stasis.isPending()) {
            Frame f = Stasis.enter(COMPARE);
            if (f != null) {
                a = (Integer) f.refs[0];
                b = (Integer) f.refs[1];
            } else if (Stasis.poll()) {
                throw new AssertionError("a comparator called by TimSort must never be captured");
            }
        }
        return a.compareTo(b);
    }

    /** Not registered (or registered as skipped): a frame no capture can pass through. */
    static void plainLoop() {
        while (!stop) {
            step(1);
            rounds++;
        }
    }

    /** {@code while (!stop) synchronized (MONITOR) { step(0); }}, with no poll outside the block. */
    static void blockLoop() {
        while (!stop) {
            synchronized (MONITOR) {
                step(0);
                if (Stasis.isPending() && Stasis.unwinding()) {
                    throw new AssertionError("a thread inside a synchronized block must never be captured");
                }
            }
            rounds++;
        }
    }

    /**
     * {@code while (!stop) { LOCK.lock(); try { step(0); } finally { LOCK.unlock(); } }}, each lock call followed by
     * what the instrumenter adds after it.
     */
    static void lockLoop() {
        while (!stop) {
            LOCK.lock();
            LockCalls.locked(LOCK);
            try {
                step(0);
                if (Stasis.isPending() && Stasis.unwinding()) {
                    throw new AssertionError("a thread holding a ReentrantLock must never be captured");
                }
            } finally {
                LOCK.unlock();
                LockCalls.unlocked(LOCK);
            }
            rounds++;
        }
    }

    /** {@code while (!stop) new Stepper();}, with no poll of its own: the polls are inside the constructor. */
    static void constructing() {
        while (!stop) {
            new Stepper();
            rounds++;
        }
    }

    static final class Stepper {
        Stepper() {
            step(0);
            if (Stasis.isPending() && Stasis.unwinding()) {
                throw new AssertionError("a thread inside a constructor must never be captured");
            }
        }
    }

    private static Frame save(String key, int point, int n, int i, long total) {
        Frame frame = new Frame(key, point, 2, 1, 0, 0, 0);
        frame.ints[0] = n;
        frame.ints[1] = i;
        frame.longs[0] = total;
        return frame;
    }
}
