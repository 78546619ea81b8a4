package dev.stasis.agent.instrument.targets;

/** Synchronized methods: unwinding releases the monitor, rewinding re-acquires it. */
public final class SynchronizedTarget {
    private int counter;

    public static String run() {
        SynchronizedTarget target = new SynchronizedTarget();
        int a = target.add(4) + target.add(3);
        int b = staticAdd(3);
        boolean released = !Thread.holdsLock(target) && !Thread.holdsLock(SynchronizedTarget.class);
        return a + " " + b + " " + target.counter + " " + released;
    }

    synchronized int add(int k) {
        int s = 0;
        for (int i = 0; i < k; i++) {
            s += step(i);
        }
        counter += s;
        return Thread.holdsLock(this) ? s : -1000;
    }

    int step(int i) {
        return Thread.holdsLock(this) ? i : -1;
    }

    static synchronized int staticAdd(int k) {
        int s = 0;
        for (int i = 0; i < k; i++) {
            s += i;
        }
        return Thread.holdsLock(SynchronizedTarget.class) ? s : -1000;
    }
}
