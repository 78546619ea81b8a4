package dev.stasis.runtime.internal.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.rt.Frame;
import dev.stasis.runtime.Compression;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Golden snapshot files, committed in src/test/resources/golden: they catch a change to the format
 * that nobody meant. If a change is meant (a new format version), regenerate them deliberately:
 * {@code mvn -pl runtime -am verify -Dtest=GoldenSnapshotTest -Dstasis.golden.regenerate=true -Dsurefire.failIfNoSpecifiedTests=false}
 * and commit the new files with the change.
 */
class GoldenSnapshotTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden");
    private static final boolean REGENERATE = Boolean.getBoolean("stasis.golden.regenerate");
    /** Small blocks, so small files still have several. */
    private static final int BLOCK_BYTES = 512;

    enum Variant {
        PLAIN(WriteOptions.defaults().withBlockBytes(BLOCK_BYTES)),
        LZ4(WriteOptions.defaults().withBlockBytes(BLOCK_BYTES).withCompression(Compression.LZ4)),
        HMAC(WriteOptions.defaults().withBlockBytes(BLOCK_BYTES).withKey(key()));

        final WriteOptions options;

        Variant(WriteOptions options) {
            this.options = options;
        }

        Path file() {
            return GOLDEN.resolve(name().toLowerCase() + ".stasis");
        }

        ReadOptions readOptions() {
            return ReadOptions.defaults().withKey(options.key());
        }
    }

    /** The committed test key (a file's mode is not kept by git, so it is read as bytes, not loaded as a key file). */
    private static SnapshotKey key() {
        try {
            return SnapshotKey.of(Files.readAllBytes(GOLDEN.resolve("golden.key")), "golden.key");
        } catch (IOException e) {
            throw new IllegalStateException("the golden test key is missing", e);
        }
    }

    private static byte[] writeToday(Variant variant) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SnapshotCodec.write(out, GoldenContent.manifest(), GoldenContent.content(), variant.options);
        return out.toByteArray();
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void writing_the_golden_content_today_gives_the_committed_bytes(Variant variant) throws IOException {
        byte[] today = writeToday(variant);
        if (REGENERATE) {
            Files.write(variant.file(), today);
        }

        assertThat(today).as("%s differs from what this code writes: an accidental format change? If it is meant, bump"
                + " the format version and regenerate (see the class comment)", variant.file()).isEqualTo(Files.readAllBytes(variant.file()));
    }

    @SuppressWarnings("unchecked")
    @ParameterizedTest
    @EnumSource(Variant.class)
    void the_committed_file_reads_back_with_the_golden_content(Variant variant) throws IOException {
        VerifiedSnapshot checked = SnapshotCodec.verify(variant.file(), variant.readOptions());
        SnapshotContent content = SnapshotCodec.readContent(variant.file(), getClass().getClassLoader(), variant.readOptions());

        assertThat(checked.manifest()).isEqualTo(GoldenContent.manifest());
        assertThat(checked.blocks()).isGreaterThan(2);
        assertThat(checked.compressedBlocks() > 0).isEqualTo(variant == Variant.LZ4);
        assertThat(checked.authenticated()).isEqualTo(variant == Variant.HMAC);
        assertThat(checked.classNames()).contains(GoldenContent.LEDGER, GoldenContent.Account.class.getName(),
                GoldenContent.Transfer.class.getName(), GoldenContent.Kind.class.getName(), "java.util.HashMap");

        assertThat(content.statics()).singleElement().satisfies(ledger -> {
            assertThat(ledger.className()).isEqualTo(GoldenContent.LEDGER);
            assertThat(ledger.fieldNames()).containsExactly("accounts", "opened", "journal");
            assertThat(ledger.values().get(1)).isEqualTo(2);
        });
        List<Frame> frames = content.threads().get(0).frames();
        assertThat(content.threads().get(0).name()).isEqualTo("main");
        assertThat(frames).extracting(f -> f.method).containsExactly("golden/Job.main([Ljava/lang/String;)V", "golden/Job.run()V");
        assertThat((String[]) frames.get(0).refs[0]).containsExactly("--steps", "3");
        Frame run = frames.get(1);
        assertThat(run.point).isEqualTo(4);
        assertThat(run.ints).containsExactly(2, -1);
        assertThat(run.longs).containsExactly(Long.MIN_VALUE);
        assertThat(run.floats).containsExactly(1.5f);
        assertThat(run.doubles).containsExactly(Math.PI);
        GoldenContent.Account alice = (GoldenContent.Account) run.refs[0];
        assertThat(alice.owner).isEqualTo("alice");
        assertThat(alice.cents).isEqualTo(12_345L);
        assertThat(alice.history).containsExactly(100, -20, 7);
        assertThat(alice.kind).isSameAs(GoldenContent.Kind.CHECKING);
        assertThat(alice.cachedLabel).isEqualTo("alice (checking)");
        assertThat(alice.partner.owner).isEqualTo("bob");
        assertThat(content.resources()).as("the org.crac resource root is the same object as in the frames")
                .containsExactly(alice.partner);
        assertThat(alice.partner.partner).isSameAs(alice);
        assertThat(alice.transfers).containsExactly(new GoldenContent.Transfer("alice", "bob", 80_000L));
        assertThat(alice.partner.transfers.get(0)).isSameAs(alice.transfers.get(0));
        assertThat(run.refs[1]).isEqualTo(Map.of("alice", 1_000L, "bob", 250L));
        assertThat(run.refs[3]).isSameAs(run.refs[2]).isSameAs(content.statics().get(0).values().get(2));
        assertThat((List<Object>) content.statics().get(0).values().get(0)).containsExactly(alice, alice.partner);
    }
}
