package dev.stasis.runtime.internal.snapshot.corruption;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.runtime.internal.snapshot.ReadOptions;
import dev.stasis.runtime.internal.snapshot.SnapshotCodec;
import dev.stasis.runtime.internal.snapshot.SnapshotFormatException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The property every corruption test checks. The three ways of reading a snapshot
 * ({@code readManifest}, {@code verify}, {@code readContent}, each with the base's key when it is
 * signed) refuse the damaged file with a {@link SnapshotFormatException} that names the file and
 * an offset in it (or gives a version's documented refusal), and nothing else happens:
 * <ul>
 * <li>no successful read, no other exception or error (no Kryo exception, no
 *     NegativeArraySizeException, no OutOfMemoryError);</li>
 * <li>the offset lies in the file and not before the checked unit (header and manifest, a data
 *     block, the end) where the damage begins: the intact part before it is never blamed;</li>
 * <li>memory bounded by the file's size, not by any length field in it;</li>
 * <li>no class resolved: nothing of the damaged file reached the deserializer, so no object of
 *     it was built (no partial restore).</li>
 * </ul>
 */
final class RefusalCheck {
    /** The reader's own buffers (a 1 MiB block, stream buffers) and messages, with room to spare. */
    static final long FIXED_ALLOWANCE = 4L << 20;

    private final Path file;

    RefusalCheck(Path directory) {
        this.file = directory.resolve("snapshot-000001.stasis");
    }

    /** The most a read of a {@code fileLength}-byte file may allocate. */
    static long allocationBound(long fileLength) {
        return FIXED_ALLOWANCE + 2 * fileLength;
    }

    /** What the reads threw; they run the same checks, so they name the same offset. */
    record Refusal(SnapshotFormatException byManifestRead, SnapshotFormatException byContentRead) {
        long offset() {
            return byManifestRead.offset();
        }

        String message() {
            return byManifestRead.getMessage();
        }
    }

    /** Writes the damaged bytes to the snapshot file and checks that both reads refuse them. */
    Refusal assertRefused(Damage damage) {
        try {
            Files.write(file, damage.bytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ReadOptions options = damage.base().readOptions();
        SnapshotFormatException byManifest = refusal("readManifest", damage, () -> SnapshotCodec.readManifest(file, options));
        SnapshotFormatException byVerify = refusal("verify", damage, () -> SnapshotCodec.verify(file, options));
        RecordingClassLoader loader = new RecordingClassLoader(getClass().getClassLoader());
        SnapshotFormatException byContent = refusal("readContent", damage,
                () -> SnapshotCodec.readContent(file, loader, options));
        assertThat(loader.requested())
                .as("classes resolved by readContent of %s: the deserializer saw bytes of a damaged file (%s)",
                        damage, byContent.getMessage())
                .isEmpty();
        for (SnapshotFormatException other : List.of(byVerify, byContent)) {
            assertThat(other.offset()).as("offsets named by the reads of %s:%n%s%n%s",
                    damage, other.getMessage(), byManifest.getMessage()).isEqualTo(byManifest.offset());
        }
        return new Refusal(byManifest, byContent);
    }

    private SnapshotFormatException refusal(String read, Damage damage, Callable<?> reading) {
        AllocationMeter.Measured<Object> measured = AllocationMeter.measure(() -> {
            try {
                return reading.call();
            } catch (Throwable t) {
                return t;
            }
        });
        Object outcome = measured.result();
        if (!(outcome instanceof Throwable thrown)) {
            throw new AssertionError(read + " accepted a damaged snapshot: " + damage + "; it returned " + outcome);
        }
        if (!(thrown instanceof SnapshotFormatException refused)) {
            throw new AssertionError(read + " of " + damage + " threw " + thrown.getClass().getName()
                    + " instead of SnapshotFormatException:\n" + stackTrace(thrown), thrown);
        }
        String message = refused.getMessage();
        assertThat(refused.file()).as("file named by %s of %s: %s", read, damage, message).isEqualTo(file);
        assertThat(message).as("%s of %s", read, damage).startsWith("snapshot " + file + " ");
        assertThat(message.contains("at byte offset " + refused.offset() + ": ") || message.endsWith(": use a newer agent")
                || message.endsWith(": start fresh with restore=never"))
                .as("%s of %s names the offset %d or gives a version's documented refusal: %s", read, damage,
                        refused.offset(), message)
                .isTrue();
        long damageStarts = damage.base().framing().unitStart(firstDifference(damage));
        assertThat(refused.offset()).as("offset named by %s of %s, whose first damaged unit starts at %d: %s",
                read, damage, damageStarts, message).isBetween(damageStarts, (long) damage.bytes().length);
        assertThat(measured.allocatedBytes())
                .as("bytes allocated by %s of %s (%s)", read, damage, message)
                .isLessThanOrEqualTo(allocationBound(damage.bytes().length));
        return refused;
    }

    /** The first offset where the damaged file differs from the intact one (its length, if it is a prefix). */
    private static long firstDifference(Damage damage) {
        byte[] intact = damage.base().bytes();
        int at = Arrays.mismatch(intact, damage.bytes());
        if (at < 0) {
            throw new IllegalArgumentException("not damaged at all: " + damage);
        }
        return at;
    }

    private static String stackTrace(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
