package bench.stasis.overhead;

/** Call-dominated work: every call is an entry poll plus a continuation point under the agent. */
final class Fibonacci {
    private Fibonacci() {
    }

    static int fib(int n) {
        return n < 2 ? n : fib(n - 1) + fib(n - 2);
    }
}
