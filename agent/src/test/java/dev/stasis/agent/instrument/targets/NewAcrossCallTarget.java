package dev.stasis.agent.instrument.targets;

/** Objects whose constructor arguments contain calls, nested too: NEW/DUP must move down. */
public final class NewAcrossCallTarget {
    private NewAcrossCallTarget() {
    }

    public static String run() {
        Box b1 = new Box(f(3));
        Pair p = new Pair(new Box(f(1)), new Box(f(2)));
        Pair q = new Pair(new Box(new Box(f(4)).v + f(1)), b1);
        Object sb = new StringBuilder(name(f(2))).append(f(1));
        long l = 5;
        Wide w = new Wide(l, f(2), 2.5, name(3));
        return b1 + " " + p + " " + q + " " + sb + " " + w;
    }

    static int f(int x) {
        int s = 0;
        for (int i = 0; i <= x; i++) {
            s += i;
        }
        return s;
    }

    static String name(int x) {
        return "n" + f(x);
    }

    static final class Box {
        final int v;

        Box(int v) {
            this.v = v;
        }

        @Override
        public String toString() {
            return "B" + v;
        }
    }

    record Pair(Box a, Box b) {
    }

    static final class Wide {
        private final String text;

        Wide(long a, int b, double c, String d) {
            this.text = a + "/" + b + "/" + c + "/" + d;
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
