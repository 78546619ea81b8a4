package dev.stasis.runtime.internal.snapshot.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code AtomicReference} through its public API, registered before its value is read so a value
 * that refers back to the holder (a cycle) resolves to it. Kryo's own version reads the value first.
 */
final class AtomicReferenceSerializer extends Serializer<AtomicReference<Object>> {
    @Override
    public void write(Kryo kryo, Output output, AtomicReference<Object> reference) {
        kryo.writeClassAndObject(output, reference.get());
    }

    @Override
    public AtomicReference<Object> read(Kryo kryo, Input input, Class<? extends AtomicReference<Object>> type) {
        AtomicReference<Object> reference = new AtomicReference<>();
        kryo.reference(reference);
        reference.set(kryo.readClassAndObject(input));
        return reference;
    }
}
