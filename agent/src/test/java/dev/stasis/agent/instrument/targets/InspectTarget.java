package dev.stasis.agent.instrument.targets;

import dev.stasis.agent.inspect.fixtures.Canary;
import dev.stasis.agent.inspect.fixtures.Fruit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small program for the snapshot tools: statics of several kinds (one holds a {@link Canary},
 * whose static initialiser must not run when a snapshot is read) and three frames deep calls with
 * named locals.
 */
public final class InspectTarget {
    static Canary canary = new Canary("tweety");
    static final List<String> NAMES = new ArrayList<>(List.of("ann", "bob"));
    static Fruit favourite = Fruit.BANANA;
    static int counter;
    static Map<String, Integer> scores;

    private InspectTarget() {
    }

    public static String run() {
        counter = 0;
        scores = new HashMap<>();
        String greeting = "hello \"world\"\n";
        long total = 0;
        int[] primes = {2, 3, 5, 7, 11, 13, 17};
        for (int round = 0; round < 3; round++) {
            total += work(round, greeting);
        }
        return greeting + total + primes.length + counter;
    }

    static long work(int round, String text) {
        counter++;
        scores.put(text, round);
        long sum = 0;
        for (int i = 0; i < 2; i++) {
            sum += pause(i);
        }
        return sum + round;
    }

    static int pause(int i) {
        int x = 0;
        for (int k = 0; k < 1; k++) {
            x += i;
        }
        return x;
    }
}
