package bench.stasis.overhead;

/**
 * Many small short-lived objects that escape into a ring, so the JIT cannot scalar-replace
 * them; each constructor call is a call point under the agent.
 */
final class Allocation {
    private static final int RING = 4096;

    private Allocation() {
    }

    static long churn(int objects) {
        Cell[] ring = new Cell[RING];
        for (int i = 0; i < objects; i++) {
            Cell older = ring[(i + 1) & (RING - 1)];
            ring[i & (RING - 1)] = new Cell(i, older == null ? 0 : older.value);
        }
        long sum = 0;
        for (Cell cell : ring) {
            sum += cell.value ^ cell.seen;
        }
        return sum;
    }

    private static final class Cell {
        final long value;
        final long seen;

        Cell(long value, long seen) {
            this.value = value;
            this.seen = seen;
        }
    }
}
