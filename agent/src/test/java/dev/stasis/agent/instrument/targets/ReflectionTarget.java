package dev.stasis.agent.instrument.targets;

import java.lang.reflect.Method;

/** {@code Method.invoke} between two instrumented frames, static and virtual. */
public final class ReflectionTarget {
    private final int base;

    public ReflectionTarget() {
        this.base = 7;
    }

    public static String run() throws ReflectiveOperationException {
        Method staticWork = ReflectionTarget.class.getDeclaredMethod("work", int.class);
        Object r1 = staticWork.invoke(null, 5);
        Method instanceWork = ReflectionTarget.class.getDeclaredMethod("instanceWork", int.class);
        Object r2 = instanceWork.invoke(new ReflectionTarget(), 3);
        return r1 + " " + r2;
    }

    public static int work(int n) {
        int s = 0;
        for (int i = 0; i < n; i++) {
            s += i * i;
        }
        return s;
    }

    public int instanceWork(int n) {
        return base + work(n);
    }
}
