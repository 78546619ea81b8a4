package dev.stasis.agent.inspect;

import dev.stasis.runtime.internal.snapshot.VerifiedSnapshot;

/** How a snapshot's HMAC signature was found, in the words the tools print. */
final class Signature {
    private Signature() {
    }

    static String of(VerifiedSnapshot snapshot) {
        if (!snapshot.signed()) {
            return "unsigned";
        }
        return snapshot.authenticated() ? "signature checked" : "signed, signature not checked (give --key)";
    }
}
