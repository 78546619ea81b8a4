package dev.stasis.runtime.internal.snapshot.corruption;

import static org.quicktheories.generators.SourceDSL.integers;

import java.nio.file.Path;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file cut short, as a crash while writing or a partial copy leaves it, is refused wherever it
 * ends. (RefusalCheck bounds the named offset by the damaged file's length: here, the cut.)
 */
class TruncationPropertyTest {
    /** How far before and after each edge the exhaustive test cuts. */
    private static final int AROUND = 8;

    @TempDir(factory = TmpfsTempDir.class)
    Path dir;

    @Test
    void a_file_cut_at_or_within_8_bytes_of_any_field_edge_is_refused() {
        RefusalCheck check = new RefusalCheck(dir);
        int cuts = 0;
        for (BaseSnapshot base : BaseSnapshots.all()) {
            long[] lengths = base.framing().edges().stream()
                    .flatMapToLong(edge -> LongStream.rangeClosed(edge - AROUND, edge + AROUND))
                    .filter(length -> length >= 0 && length < base.length())
                    .distinct()
                    .toArray();
            for (long length : lengths) {
                check.assertRefused(Damage.truncated(base, (int) length));
            }
            cuts += lengths.length;
        }
        System.out.println("every edge +-" + AROUND + ": " + cuts + " truncated files refused");
    }

    @Test
    void a_file_cut_anywhere_is_refused() {
        RefusalCheck check = new RefusalCheck(dir);
        DamageProperty.forAll(1_000,
                DamageProperty.anyBase().flatMap(base ->
                        integers().between(0, base.length() - 1).map(length -> Damage.truncated(base, length))),
                check::assertRefused);
    }
}
