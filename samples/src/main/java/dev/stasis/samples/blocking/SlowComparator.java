package dev.stasis.samples.blocking;

import java.util.Comparator;

/** Orders integers by an expensive hash: each comparison loops {@code rounds} times. */
final class SlowComparator implements Comparator<Integer> {

    private final int rounds;
    private long comparisons;

    SlowComparator(int rounds) {
        this.rounds = rounds;
    }

    @Override
    public int compare(Integer left, Integer right) {
        comparisons++;
        int byKey = Long.compare(key(left), key(right));
        return byKey != 0 ? byKey : Integer.compare(left, right);
    }

    long comparisons() {
        return comparisons;
    }

    private long key(int value) {
        long key = value;
        for (int round = 0; round < rounds; round++) {
            key = Long.rotateLeft(key * 0x9E3779B97F4A7C15L + round, 23);
        }
        return key;
    }
}
