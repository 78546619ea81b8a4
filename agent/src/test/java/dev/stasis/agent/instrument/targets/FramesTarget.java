package dev.stasis.agent.instrument.targets;

/** An untouched method whose stack map frame needs the declared type A of a merged B-or-C local. */
public final class FramesTarget {
    /** The static initialiser merges B and C too. */
    public static final A DEFAULT = Boolean.getBoolean("stasis.no.such.property") ? new B() : new C();

    private FramesTarget() {
    }

    public static int pick(boolean first) {
        A chosen = first ? new B() : new C();
        return chosen.id + DEFAULT.id - 2;
    }

    public static int loop(int n) {
        int s = 0;
        for (int i = 0; i < n; i++) {
            s += pick(i % 2 == 0);
        }
        return s;
    }

    /** Has a call point and the same merge: cannot be instrumented without the hierarchy. */
    public static int pickAndLoop(boolean first) {
        A chosen = first ? new B() : new C();
        return chosen.id + loop(2);
    }

    public static class A {
        public int id = 1;
    }

    public static final class B extends A {
    }

    public static final class C extends A {
        public C() {
            id = 2;
        }
    }
}
