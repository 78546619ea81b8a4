package bench.stasis.overhead;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Short critical sections under an uncontended {@code ReentrantLock}: with the agent, each {@code lock()} and
 * {@code unlock()} is followed by a call that counts the thread's holds ({@code LockCalls}, one
 * {@code ThreadLocal} lookup each), the price of a capturability check that needs no heap search. And
 * {@code synchronized} blocks holding a loop of calls into application code: points inside a block, whose shape
 * decides whether HotSpot compiles the method at all.
 */
final class LockWork {
    private LockWork() {
    }

    static long lockedIncrements(ReentrantLock lock, int rounds) {
        long total = 0;
        for (int i = 0; i < rounds; i++) {
            lock.lock();
            try {
                total += i;
            } finally {
                lock.unlock();
            }
        }
        return total;
    }

    static long synchronizedBlocks(Object monitor, int blocks, int callsPerBlock) {
        long total = 0;
        for (int block = 0; block < blocks; block++) {
            synchronized (monitor) {
                for (int i = 0; i < callsPerBlock; i++) {
                    total += step(block, i);
                }
            }
        }
        return total;
    }

    private static long step(int block, int i) {
        return (long) block * 31 + i;
    }
}
