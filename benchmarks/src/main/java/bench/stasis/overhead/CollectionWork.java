package bench.stasis.overhead;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Interface calls into JDK collections: call points without instrumented callees. */
final class CollectionWork {
    private CollectionWork() {
    }

    static long mapAndList(Integer[] keys) {
        Map<Integer, Integer> counts = new HashMap<>();
        for (Integer key : keys) {
            counts.put(key, counts.getOrDefault(key, 0) + 1);
        }
        List<Integer> hits = new ArrayList<>();
        for (Integer key : keys) {
            hits.add(counts.get(key));
        }
        long total = 0;
        for (Map.Entry<Integer, Integer> entry : counts.entrySet()) {
            total += entry.getKey() * (long) entry.getValue();
        }
        for (int hit : hits) {
            total += hit;
        }
        return total;
    }
}
