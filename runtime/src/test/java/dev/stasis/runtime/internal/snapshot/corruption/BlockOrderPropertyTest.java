package dev.stasis.runtime.internal.snapshot.corruption;

import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quicktheories.core.Gen;

/**
 * Whole, intact blocks in the wrong place: swapped, repeated or missing, as a buggy copy or a
 * file system that reorders writes could leave them. Every block still passes its own checksum;
 * only the trailer (total length and checksum of all the payload in order) can tell.
 */
class BlockOrderPropertyTest {
    @TempDir(factory = TmpfsTempDir.class)
    Path dir;

    @Test
    void every_swap_duplication_and_removal_of_a_block_is_refused() {
        RefusalCheck check = new RefusalCheck(dir);
        int files = 0;
        for (BaseSnapshot base : BaseSnapshots.withSeveralBlocks()) {
            int blocks = base.framing().blocks().size();
            for (int i = 0; i < blocks; i++) {
                for (int j = i + 1; j < blocks; j++) {
                    List<Integer> order = identity(blocks);
                    Collections.swap(order, i, j);
                    check.assertRefused(Damage.blocksReordered(base, order, "blocks " + i + " and " + j + " swapped"));
                }
                for (int at = 0; at <= blocks; at++) {
                    List<Integer> order = identity(blocks);
                    order.add(at, i);
                    check.assertRefused(Damage.blocksReordered(base, order, "block " + i + " repeated at " + at));
                }
                List<Integer> order = identity(blocks);
                order.remove(i);
                check.assertRefused(Damage.blocksReordered(base, order, "block " + i + " removed"));
                files += blocks - i - 1 + blocks + 1 + 1;
            }
        }
        System.out.println("every swap, duplication and removal: " + files + " rearranged files refused");
    }

    @Test
    void any_other_sequence_of_the_blocks_is_refused() {
        RefusalCheck check = new RefusalCheck(dir);
        Gen<Damage> sequences = DamageProperty.multiBlockBase().flatMap(base -> {
            int blocks = base.framing().blocks().size();
            return lists().of(integers().between(0, blocks - 1)).ofSizeBetween(0, blocks + 2)
                    .map(order -> Damage.blocksReordered(base, order, "blocks rearranged"));
        });
        DamageProperty.forAll(300, sequences, check::assertRefused);
    }

    private static List<Integer> identity(int blocks) {
        return new ArrayList<>(IntStream.range(0, blocks).boxed().toList());
    }
}
