package dev.stasis.runtime.internal.snapshot.kryo;

import com.esotericsoftware.kryo.KryoException;

/**
 * The graph needs a JDK class this JVM does not have: the snapshot was taken on another JDK (a virtual thread on
 * JDK 21 or later, read on JDK 17). The file is intact; it can be resumed on a JDK that has the class.
 */
public final class OtherJdkException extends KryoException {
    private final String reason;

    OtherJdkException(String reason) {
        super(reason);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
