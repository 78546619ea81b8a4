package dev.stasis.samples.blocking;

import java.util.ArrayList;
import java.util.List;

/**
 * Spends a long but bounded time inside {@link List#sort}: every comparison runs in an
 * application comparator called from a JDK frame ({@code TimSort}), a region whose stack Stasis
 * cannot capture. A checkpoint requested meanwhile has to give up with an error naming that
 * frame, and the program must still finish with the right result.
 *
 * <p>Usage: {@code UncapturableSort [items] [rounds]}; it prints {@code sorting ...} as it enters
 * the region and {@code RESULT <hash of the sorted order>} at the end.
 */
public final class UncapturableSort {

    private static final int DEFAULT_ITEMS = 3_000;
    private static final int DEFAULT_ROUNDS = 40_000;

    private UncapturableSort() {
    }

    public static void main(String[] args) {
        int items = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_ITEMS;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_ROUNDS;
        List<Integer> values = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            values.add((int) ((i * 0x9E3779B1L) >>> 7));
        }
        SlowComparator comparator = new SlowComparator(rounds);
        System.out.println("sorting " + items + " items, " + rounds + " rounds per comparison");
        values.sort(comparator);
        long hash = 17;
        for (int value : values) {
            hash = hash * 1_000_003 + value;
        }
        System.out.println("compared " + comparator.comparisons() + " times");
        System.out.println("RESULT " + Long.toHexString(hash));
    }
}
