package dev.stasis.runtime.internal.snapshot.corruption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stasis.runtime.internal.snapshot.SnapshotCodec;
import dev.stasis.runtime.internal.snapshot.SnapshotContent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The corruption tests' instruments can see what they are meant to catch. */
class RefusalCheckTest {
    @TempDir
    Path dir;

    @Test
    void the_check_fails_when_a_read_accepts_the_file() {
        BaseSnapshot base = BaseSnapshots.all().get(1);
        Damage none = new Damage(base, "nothing changed", base.bytes().clone());

        assertThatThrownBy(() -> new RefusalCheck(dir).assertRefused(none))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("readManifest accepted a damaged snapshot: nothing changed of " + base.name());
    }

    @Test
    void reading_an_intact_snapshot_resolves_classes_through_the_given_loader() throws IOException {
        Path file = Files.write(dir.resolve("intact.stasis"), BaseSnapshots.all().get(2).bytes());
        RecordingClassLoader loader = new RecordingClassLoader(getClass().getClassLoader());

        SnapshotContent content = SnapshotCodec.readContent(file, loader);

        assertThat(loader.requested()).contains(SampleNode.class.getName());
        SampleNode root = (SampleNode) content.statics().get(0).values().get(0);
        assertThat(root.children.get(1).parent).isSameAs(root);
    }

    @Test
    void the_meter_counts_what_the_thread_allocates() {
        AllocationMeter.Measured<byte[]> measured = AllocationMeter.measure(() -> new byte[16 << 20]);

        assertThat(measured.allocatedBytes()).isGreaterThanOrEqualTo(16 << 20);
        assertThat(RefusalCheck.allocationBound(1 << 20)).isLessThan(16 << 20);
    }
}
