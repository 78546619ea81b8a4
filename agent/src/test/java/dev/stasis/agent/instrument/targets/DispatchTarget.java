package dev.stasis.agent.instrument.targets;

/** Interface, virtual, private, super and static calls; recursion, shallow and 1000 frames deep. */
public final class DispatchTarget {
    private DispatchTarget() {
    }

    public static String run() {
        Shape shape = new Square();
        Base base = new Derived();
        int area = shape.area(3);
        int value = base.value(2);
        int described = shape.twice(2) + Shape.unit(3);
        long fib = fib(12);
        int deep = deep(1000);
        return area + " " + value + " " + fib + " " + deep + " " + described;
    }

    public static long fib(int n) {
        return n < 2 ? n : fib(n - 1) + fib(n - 2);
    }

    static int deep(int n) {
        return n == 0 ? sum(2) : 1 + deep(n - 1);
    }

    static int sum(int k) {
        int s = 0;
        for (int i = 0; i <= k; i++) {
            s += i;
        }
        return s;
    }

    interface Shape {
        int area(int k);

        default int twice(int k) {
            return area(k) + area(k);
        }

        static int unit(int k) {
            return sum(k);
        }
    }

    static final class Square implements Shape {
        @Override
        public int area(int k) {
            return sum(k) * 2;
        }
    }

    static class Base {
        int value(int k) {
            return sum(k) + 1;
        }
    }

    static final class Derived extends Base {
        @Override
        int value(int k) {
            return super.value(k) * 10 + secret(k);
        }

        private int secret(int k) {
            return sum(k + 1);
        }
    }
}
