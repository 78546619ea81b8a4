package dev.stasis.runtime.internal.snapshot.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * For types whose state lives outside the heap (threads, class loaders, sockets, open files):
 * copying their fields would restore something that looks alive and is not, so the checkpoint
 * fails instead and says where the object was found.
 */
final class RefusingSerializer extends Serializer<Object> {
    private final String reason;

    RefusingSerializer(String reason) {
        this.reason = reason;
    }

    @Override
    public void write(Kryo kryo, Output output, Object object) {
        throw CapturePathException.refuse(object, reason);
    }

    @Override
    public Object read(Kryo kryo, Input input, Class<?> type) {
        throw new KryoException("a snapshot never holds a " + type.getName());
    }
}
