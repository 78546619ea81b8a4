package dev.stasis.runtime.internal.snapshot.corruption;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The intact snapshots the corruption tests damage put block edges where they are meant to. */
class BaseSnapshotsTest {
    private static final int MIB = 1 << 20;

    @Test
    void the_framing_accounts_for_every_byte_of_every_base() {
        for (BaseSnapshot base : BaseSnapshots.all()) {
            SnapshotFraming framing = base.framing();
            long framed = framing.dataStart()
                    + framing.blocks().stream().mapToLong(block -> block.end() - block.start()).sum()
                    + 4 + SnapshotFraming.TRAILER_BYTES;

            assertThat(framed).as("%s", base).isEqualTo(base.length());
            assertThat(framing.edges()).as("%s", base).contains(framing.dataStart(), framing.trailerStart(), (long) base.length());
        }
    }

    @Test
    void the_bases_have_one_to_four_blocks_and_last_blocks_that_are_full_short_or_one_byte() {
        List<BaseSnapshot> all = BaseSnapshots.all();

        assertThat(all.stream().map(base -> base.framing().blocks().size()).collect(Collectors.toSet()))
                .containsAll(Set.of(1, 2, 3, 4));
        assertThat(all).anySatisfy(base -> assertThat(lastBlockLength(base)).isEqualTo(MIB));
        assertThat(all).anySatisfy(base -> assertThat(lastBlockLength(base)).isEqualTo(MIB - 1));
        assertThat(all).anySatisfy(base -> assertThat(lastBlockLength(base)).isEqualTo(1));
        assertThat(all).anySatisfy(base -> assertThat(base.framing().payloadLength()).isEqualTo(2L * MIB));
        assertThat(all.stream().map(base -> base.framing().manifestLength()).distinct().count()).isGreaterThan(5);
        assertThat(BaseSnapshots.small()).hasSizeGreaterThanOrEqualTo(3);
    }

    private static int lastBlockLength(BaseSnapshot base) {
        List<SnapshotFraming.Block> blocks = base.framing().blocks();
        return blocks.get(blocks.size() - 1).length();
    }
}
