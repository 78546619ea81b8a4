package bench.stasis.ballast;

/**
 * Objects a benchmark job keeps alive so that its heap has a realistic size, for costs that grow with the heap
 * (a {@code ThreadMXBean} query for {@code java.util.concurrent} synchronizers searches all of it). Held by this
 * class, outside the package the job's agent instruments ({@code include=bench.stasis.threads}): no snapshot
 * reaches them, so they make the heap larger without making the snapshot larger.
 */
public final class Ballast {
    private static Object[] kept = new Object[0];

    private Ballast() {
    }

    /** Replaces what is kept with {@code count} small objects (a {@code long[4]} each). */
    public static void keep(int count) {
        Object[] objects = new Object[count];
        for (int i = 0; i < count; i++) {
            objects[i] = new long[4];
        }
        kept = objects;
    }

    public static int count() {
        return kept.length;
    }
}
