package dev.stasis.runtime.internal.snapshot.corruption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.stasis.runtime.internal.snapshot.Manifest;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Wrong values in the fields a reader acts on: magic, format version, flags, the manifest length,
 * block headers (stored length, encoding, raw length), the trailer (raw length, block count, class
 * list, checksum, MAC, end magic), and (with the header checksum recomputed, as a hostile writer
 * would) the counts and string lengths inside the manifest. Huge values must be refused before anything of
 * that size is allocated; RefusalCheck bounds the memory each read takes.
 */
class FieldValuePropertyTest {
    @TempDir(factory = TmpfsTempDir.class)
    Path dir;

    @Test
    void a_wrong_magic_is_refused_at_offset_0() {
        RefusalCheck check = new RefusalCheck(dir);
        Gen<Damage> magic = DamageProperty.anyBase().flatMap(base ->
                integers().between(0, SnapshotFraming.MAGIC_BYTES - 1).zip(integers().between(0, 255),
                        (at, value) -> Damage.withByte(base, at, (byte) (int) value, "magic")));
        DamageProperty.forAll(500, magic, damage ->
                assertThat(check.assertRefused(damage).offset()).isZero());
    }

    @Test
    void any_other_format_version_is_refused_and_a_newer_one_asks_for_a_newer_agent() {
        RefusalCheck check = new RefusalCheck(dir);
        Gen<Damage> versions = DamageProperty.anyBase().flatMap(base ->
                integers().all().map(version -> Damage.withInt(base, SnapshotFraming.VERSION_OFFSET, version, "format version")));
        DamageProperty.forAll(500, versions, damage -> {
            RefusalCheck.Refusal refusal = check.assertRefused(damage);
            int version = ByteBuffer.wrap(damage.bytes()).getInt(SnapshotFraming.VERSION_OFFSET);
            if (version > Manifest.FORMAT_VERSION) {
                assertThat(refusal.message()).endsWith("written by a newer Stasis (format " + version
                        + "), this agent reads up to " + Manifest.FORMAT_VERSION + ": use a newer agent");
                assertThat(refusal.offset()).isEqualTo(SnapshotFraming.VERSION_OFFSET);
            }
        });
    }

    @Test
    void any_other_flags_are_refused() {
        RefusalCheck check = new RefusalCheck(dir);
        Gen<Damage> flags = DamageProperty.anyBase().flatMap(base ->
                integers().all().map(value -> Damage.withInt(base, SnapshotFraming.FLAGS_OFFSET, value, "flags")));
        DamageProperty.forAll(500, flags, check::assertRefused);
    }

    @Test
    void any_other_manifest_length_is_refused_in_the_header() {
        RefusalCheck check = new RefusalCheck(dir);
        Gen<Damage> lengths = DamageProperty.anyBase().flatMap(base ->
                integers().all().map(length -> Damage.withInt(base, SnapshotFraming.MANIFEST_LENGTH_OFFSET, length, "manifest length")));
        DamageProperty.forAll(500, lengths, damage ->
                assertThat(check.assertRefused(damage).offset()).isLessThanOrEqualTo(SnapshotFraming.MANIFEST_LENGTH_OFFSET));
    }

    @Test
    void any_other_value_in_a_block_header_is_refused() {
        RefusalCheck check = new RefusalCheck(dir);
        Gen<Damage> lengths = DamageProperty.anyBase().flatMap(base -> {
            List<Long> lengthFields = new ArrayList<>();
            for (SnapshotFraming.Block block : base.framing().blocks()) {
                lengthFields.add(block.start());
                lengthFields.add(block.rawLengthAt());
            }
            lengthFields.add(base.framing().endBlockStart());
            return Generate.pick(lengthFields).zip(integers().all(),
                    (at, length) -> Damage.withInt(base, at, length, "block stored or raw length"));
        });
        Gen<Damage> encodings = DamageProperty.anyBase().flatMap(base ->
                Generate.pick(base.framing().blocks()).zip(integers().between(0, 255),
                        (block, value) -> Damage.withByte(base, block.encodingAt(), (byte) (int) value, "block encoding")));
        DamageProperty.forAll(1_000, Generate.oneOf(lengths, encodings), check::assertRefused);
    }

    @Test
    void any_other_trailer_is_refused() {
        RefusalCheck check = new RefusalCheck(dir);
        Gen<Damage> totals = DamageProperty.anyBase().flatMap(base ->
                longs().all().map(total -> Damage.withLong(base, base.framing().trailerStart(), total, "raw payload length")));
        Gen<Damage> ints = DamageProperty.anyBase().flatMap(base -> {
            SnapshotFraming framing = base.framing();
            return Generate.pick(List.of(framing.blockCountAt(), framing.classListLengthAt(), framing.trailerChecksumAt()))
                    .zip(integers().all(), (at, value) -> Damage.withInt(base, at, value, "block count, class list length or checksum"));
        });
        Gen<Damage> bytes = DamageProperty.anyBase().flatMap(base -> {
            SnapshotFraming framing = base.framing();
            long from = framing.classListLengthAt() + 4;
            return longs().between(from, base.length() - 1).zip(integers().between(0, 255), (at, value) ->
                    Damage.withByte(base, at, (byte) (int) value, "class list, trailer checksum, MAC or end magic"));
        });
        DamageProperty.forAll(1_000, Generate.oneOf(totals, ints, bytes), check::assertRefused);
    }

    @Test
    void a_manifest_count_or_string_length_beyond_the_manifest_is_refused_even_with_a_valid_checksum() {
        RefusalCheck check = new RefusalCheck(dir);
        // Unsigned files: in a signed one the MAC would refuse the forgery, which says nothing of the decoder's bounds.
        Gen<Damage> forged = Generate.pick(BaseSnapshots.unsigned()).flatMap(base ->
                Generate.pick(ManifestFields.of(base)).flatMap(field ->
                        Generate.oneOf(integers().between(field.bytesAfter() + 1, Integer.MAX_VALUE),
                                        integers().between(Integer.MIN_VALUE, -2))
                                .map(value -> Damage.manifestIntForged(base, field.offset(), value, field.name()))));
        DamageProperty.forAll(1_000, forged, damage ->
                assertThat(check.assertRefused(damage).offset()).isLessThan(damage.base().framing().dataStart()));
    }
}
