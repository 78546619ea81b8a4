package dev.stasis.runtime.internal.snapshot.corruption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** Flipped bits, garbled sectors and zeroed pages anywhere in the file: what bad media and torn writes leave. */
class BitDamagePropertyTest {
    @TempDir(factory = TmpfsTempDir.class)
    Path dir;

    @Test
    void a_single_flipped_bit_anywhere_is_refused_naming_the_damaged_block() {
        RefusalCheck check = new RefusalCheck(dir);
        Gen<Damage> flips = DamageProperty.anyBase().flatMap(base ->
                longs().between(0, 8L * base.length() - 1).map(bit -> Damage.bitsFlipped(base, List.of(bit))));
        DamageProperty.forAll(2_000, flips, damage -> {
            RefusalCheck.Refusal refusal = check.assertRefused(damage);
            SnapshotFraming framing = damage.base().framing();
            long at = Arrays.mismatch(damage.base().bytes(), damage.bytes());
            SnapshotFraming.Block block = framing.blockAt(at);
            if (at < framing.dataStart()) {
                assertThat(refusal.offset()).as("header or manifest flip at %d: %s", at, refusal.message())
                        .isLessThanOrEqualTo(at);
            } else if (block != null && at >= block.payloadStart()) {
                assertThat(refusal.offset()).as("flip at %d in the block at %d: %s", at, block.start(), refusal.message())
                        .isEqualTo(block.start());
            }
        });
    }

    @Test
    void several_flipped_bits_or_a_garbled_run_of_bytes_are_refused() {
        RefusalCheck check = new RefusalCheck(dir);
        Gen<Damage> scattered = DamageProperty.anyBase().flatMap(base ->
                lists().of(longs().between(0, 8L * base.length() - 1)).ofSizeBetween(2, 16)
                        .map(bits -> Damage.bitsFlipped(base, bits)));
        Gen<Damage> garbled = DamageProperty.anyBase().flatMap(base ->
                integers().between(0, base.length() - 1).zip(integers().between(1, 512), longs().all(),
                        (from, width, seed) -> Damage.garbled(base, from, width, seed)));
        DamageProperty.forAll(1_000, Generate.oneOf(scattered, garbled), check::assertRefused);
    }

    @Test
    void zeroed_4k_pages_are_refused() {
        RefusalCheck check = new RefusalCheck(dir);
        Gen<Damage> zeroed = DamageProperty.anyBase().flatMap(base ->
                lists().of(integers().between(0, pages(base) - 1)).ofSizeBetween(1, 4)
                        .map(pages -> Damage.pagesZeroed(base, pages)));
        DamageProperty.forAll(1_000, zeroed, check::assertRefused);
    }

    @Test
    void a_full_length_file_whose_tail_is_zeros_is_refused() {
        RefusalCheck check = new RefusalCheck(dir);
        // Any base alike: a small one has only a few pages to start from. The space is small and
        // the draws lean towards the ends of each range, so about 200 to 215 of the 300 are distinct.
        Gen<Damage> tails = Generate.pick(BaseSnapshots.all()).flatMap(base ->
                integers().between(0, pages(base) - 1).map(page -> Damage.tailZeroed(base, page)));
        DamageProperty.forAll(300, 150, tails, check::assertRefused);
    }

    private static int pages(BaseSnapshot base) {
        return (base.length() + Damage.PAGE - 1) / Damage.PAGE;
    }
}
