package dev.stasis.runtime.internal.snapshot.kryo;

import com.esotericsoftware.kryo.KryoException;

/**
 * The object graph being read breaks a rule that protects the reader (a class outside the
 * manifest, a length or depth bound): refused before the class is resolved or the memory allocated.
 * A {@link KryoException}, so Kryo's serializers let it through unwrapped.
 */
public final class RefusedReadException extends KryoException {
    private final String reason;

    RefusedReadException(String reason) {
        super(reason);
        this.reason = reason;
    }

    /** The rule and what broke it, without Kryo's serialization trace. */
    public String reason() {
        return reason;
    }
}
