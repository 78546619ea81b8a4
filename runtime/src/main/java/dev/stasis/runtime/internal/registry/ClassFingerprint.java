package dev.stasis.runtime.internal.registry;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The identity of a class's code: a hash of its original class-file bytes. Recorded for every
 * instrumented class when a snapshot is written and compared with the class path on resume, so a
 * snapshot is never rewound into code that changed.
 */
public final class ClassFingerprint {
    private ClassFingerprint() {
    }

    /** First 16 bytes of SHA-256, in hex. */
    public static String of(byte[] classBytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(classBytes);
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
