package dev.stasis.runtime.internal.snapshot.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The JDK's immutable lists: {@code List.of}, {@code Stream.toList} (which, unlike
 * {@code List.of}, allows nulls: Kryo's own serializer fails on those) and their sub-lists. Read
 * back as {@code List.of} when there is no null, as {@code Stream.toList} otherwise, so
 * {@code contains(null)} behaves as before.
 */
final class ImmutableListSerializer extends Serializer<List<Object>> {
    /** The implementation classes this serializer stands for (several coincide, depending on the JDK). */
    static final Set<Class<?>> TYPES = Set.copyOf(List.of(List.of().getClass(), List.of(1).getClass(),
            List.of(1, 2, 3).getClass(), List.of(1, 2, 3).subList(0, 2).getClass(), Stream.of(1, null).toList().getClass()));

    ImmutableListSerializer() {
        setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output output, List<Object> list) {
        output.writeVarInt(list.size(), true);
        for (Object element : list) {
            kryo.writeClassAndObject(output, element);
        }
    }

    @Override
    public List<Object> read(Kryo kryo, Input input, Class<? extends List<Object>> type) {
        int size = input.readVarInt(true);
        BoundedInput.claim(input, size, "an immutable list");
        Object[] elements = new Object[size];
        boolean hasNull = false;
        for (int i = 0; i < elements.length; i++) {
            elements[i] = kryo.readClassAndObject(input);
            hasNull |= elements[i] == null;
        }
        return hasNull ? Arrays.stream(elements).toList() : List.of(elements);
    }
}
