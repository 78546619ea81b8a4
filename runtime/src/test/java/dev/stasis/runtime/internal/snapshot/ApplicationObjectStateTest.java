package dev.stasis.runtime.internal.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An application object comes back exactly as it was in memory, not as Java serialization would see it. */
class ApplicationObjectStateTest {
    @TempDir
    Path dir;

    static final class Solver {
        int conflicts = 41;
        /** Anonymous class: reaches its outer instance through the synthetic field this$0. */
        final IntSupplier simplifier = new IntSupplier() {
            @Override
            public int getAsInt() {
                return conflicts + 1;
            }
        };
    }

    static final class Cache {
        transient int[] memo = {1, 2, 3};
        transient String label = "warm";
    }

    @Test
    void anonymous_inner_class_keeps_its_outer_instance() throws IOException {
        Solver solver = new Solver();
        Object[] back = Snapshots.roundTrip(dir, solver);
        Solver restored = (Solver) back[0];
        assertThat(restored.simplifier.getAsInt()).isEqualTo(42);
        restored.conflicts = 99;
        assertThat(restored.simplifier.getAsInt()).as("this$0 is the restored outer object").isEqualTo(100);
    }

    @Test
    void transient_fields_of_application_classes_are_kept() throws IOException {
        Object[] back = Snapshots.roundTrip(dir, new Cache());
        Cache restored = (Cache) back[0];
        assertThat(restored.memo).containsExactly(1, 2, 3);
        assertThat(restored.label).isEqualTo("warm");
    }
}
