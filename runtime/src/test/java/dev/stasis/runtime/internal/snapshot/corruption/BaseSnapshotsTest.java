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
                    + framing.blocks().stream().mapToLong(block -> SnapshotFraming.BLOCK_HEADER_BYTES + block.stored() + 4).sum()
                    + 4 + 8 + 4 + 4 + framing.classListLength() + 4
                    + (framing.signed() ? SnapshotFraming.MAC_BYTES : 0) + SnapshotFraming.END_MAGIC_BYTES;

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
        assertThat(BaseSnapshots.small()).hasSizeGreaterThanOrEqualTo(3)
                .anySatisfy(base -> assertThat(base.framing().blocks()).hasSizeGreaterThan(5));
        assertThat(all).anySatisfy(base -> assertThat(base.framing().signed()).isTrue());
    }

    @Test
    void a_compressed_base_mixes_compressed_and_stored_blocks() {
        assertThat(BaseSnapshots.all()).anySatisfy(base -> assertThat(base.framing().blocks())
                .anySatisfy(block -> assertThat(block.stored()).isLessThan(block.rawLength()))
                .anySatisfy(block -> assertThat(block.stored()).isEqualTo(block.rawLength())));
    }

    private static int lastBlockLength(BaseSnapshot base) {
        List<SnapshotFraming.Block> blocks = base.framing().blocks();
        return blocks.get(blocks.size() - 1).rawLength();
    }
}
