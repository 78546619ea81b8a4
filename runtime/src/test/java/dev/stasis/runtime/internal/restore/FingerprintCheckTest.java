package dev.stasis.runtime.internal.restore;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stasis.runtime.RestoreException;
import dev.stasis.runtime.internal.registry.ClassFingerprint;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FingerprintCheckTest {
    static final String THIS_CLASS = "dev/stasis/runtime/internal/restore/FingerprintCheckTest";
    private final ClassLoader loader = getClass().getClassLoader();

    @Test
    void accepts_classes_whose_bytes_are_unchanged() throws IOException {
        Map<String, String> fingerprints = Map.of(THIS_CLASS, fingerprintOf(THIS_CLASS));

        assertThatCode(() -> FingerprintCheck.verify(
                FakeSnapshotSource.manifest("000003", "run", fingerprints, List.of()), loader)).doesNotThrowAnyException();
    }

    @Test
    void refuses_changed_and_missing_classes_listing_them() {
        Map<String, String> fingerprints = new LinkedHashMap<>();
        fingerprints.put(THIS_CLASS, "00000000000000000000000000000000");
        fingerprints.put("c/D", "00000000000000000000000000000000");

        assertThatThrownBy(() -> FingerprintCheck.verify(
                FakeSnapshotSource.manifest("000003", "run", fingerprints, List.of()), loader))
                .isInstanceOf(RestoreException.class)
                .hasMessage("snapshot 000003 was taken with different classes: " + THIS_CLASS + " (changed), c/D (missing). "
                        + "Start fresh with restore=never, or restore the old classes.");
    }

    static String fingerprintOf(String internalName) throws IOException {
        try (InputStream in = FingerprintCheckTest.class.getClassLoader().getResourceAsStream(internalName + ".class")) {
            return ClassFingerprint.of(in.readAllBytes());
        }
    }
}
