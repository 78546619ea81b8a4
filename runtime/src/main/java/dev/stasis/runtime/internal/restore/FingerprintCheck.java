package dev.stasis.runtime.internal.restore;

import dev.stasis.runtime.RestoreException;
import dev.stasis.runtime.internal.registry.ClassFingerprint;
import dev.stasis.runtime.internal.snapshot.Manifest;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Refuses a snapshot whose classes are not, byte for byte, the ones now on the class path. */
public final class FingerprintCheck {
    private static final int LISTED = 20;

    private FingerprintCheck() {
    }

    public static void verify(Manifest manifest, ClassLoader loader) throws RestoreException {
        List<String> differences = new ArrayList<>();
        for (Map.Entry<String, String> entry : manifest.fingerprints().entrySet()) {
            byte[] bytes = classBytes(loader, entry.getKey());
            if (bytes == null) {
                differences.add(entry.getKey() + " (missing)");
            } else if (!ClassFingerprint.of(bytes).equals(entry.getValue())) {
                differences.add(entry.getKey() + " (changed)");
            }
        }
        if (differences.isEmpty()) {
            return;
        }
        String listed = String.join(", ", differences.subList(0, Math.min(LISTED, differences.size())))
                + (differences.size() > LISTED ? " and " + (differences.size() - LISTED) + " more" : "");
        throw new RestoreException("snapshot " + manifest.snapshotId() + " was taken with different classes: "
                + listed + ". Start fresh with restore=never, or restore the old classes.");
    }

    private static byte[] classBytes(ClassLoader loader, String internalName) throws RestoreException {
        try (InputStream in = loader.getResourceAsStream(internalName + ".class")) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new RestoreException("cannot read class " + internalName + " from the class path to compare it "
                    + "with the snapshot: " + e.getMessage(), e);
        }
    }
}
