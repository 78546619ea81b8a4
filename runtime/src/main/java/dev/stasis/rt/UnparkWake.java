package dev.stasis.rt;

import java.util.concurrent.locks.LockSupport;

/** Wakes a thread parked where a spurious return from {@code park} is harmless. Safe to run more than once. */
final class UnparkWake implements Runnable {
    private final Thread parked;

    UnparkWake(Thread parked) {
        this.parked = parked;
    }

    @Override
    public void run() {
        LockSupport.unpark(parked);
    }
}
