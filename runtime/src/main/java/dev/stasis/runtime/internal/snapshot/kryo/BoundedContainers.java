package dev.stasis.runtime.internal.snapshot.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.CollectionSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers;
import com.esotericsoftware.kryo.serializers.MapSerializer;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Kryo's serializers that size storage from a count in the data (an {@code ArrayList}'s capacity,
 * a {@code HashMap}'s table, an array), replaced by subclasses that first claim the count on the
 * {@link BoundedInput}. They write exactly what Kryo's write, so the format does not change.
 */
final class BoundedContainers {
    private BoundedContainers() {
    }

    /** The bounded equivalent of Kryo's default serializer {@code serializer} for {@code type}, or {@code serializer} itself. */
    static Serializer<?> bounded(Class<?> type, Serializer<?> serializer) {
        Class<?> kind = serializer.getClass();
        if (kind == CollectionSerializer.class) {
            return new Collections();
        }
        if (kind == MapSerializer.class) {
            return new Maps();
        }
        if (kind == DefaultSerializers.PriorityQueueSerializer.class) {
            return new PriorityQueues();
        }
        if (kind == DefaultSerializers.ArraysAsListSerializer.class) {
            return new ArraysAsLists();
        }
        if (type.isArray() && (!type.getComponentType().isPrimitive() || type.getComponentType() == boolean.class)) {
            // Primitive arrays other than boolean[] are read through BoundedInput's bulk reads, which claim there.
            return new LengthChecked(serializer);
        }
        return serializer;
    }

    static boolean isGeneric(Serializer<?> serializer) {
        return serializer instanceof Collections || serializer instanceof Maps;
    }

    @SuppressWarnings("rawtypes")
    static final class Collections extends CollectionSerializer<Collection> {
        @Override
        protected Collection create(Kryo kryo, Input input, Class<? extends Collection> type, int size) {
            BoundedInput.claim(input, size, "a " + type.getName());
            return super.create(kryo, input, type, size);
        }
    }

    @SuppressWarnings("rawtypes")
    static final class Maps extends MapSerializer<Map> {
        @Override
        protected Map create(Kryo kryo, Input input, Class<? extends Map> type, int size) {
            BoundedInput.claim(input, size, "a " + type.getName());
            return super.create(kryo, input, type, size);
        }
    }

    static final class PriorityQueues extends DefaultSerializers.PriorityQueueSerializer {
        @Override
        protected PriorityQueue create(Kryo kryo, Input input, Class<? extends PriorityQueue> type, int size) {
            BoundedInput.claim(input, size, "a " + type.getName());
            return super.create(kryo, input, type, size);
        }
    }

    static final class ArraysAsLists extends DefaultSerializers.ArraysAsListSerializer {
        @Override
        protected List create(Kryo kryo, Input input, Class type, int size) {
            BoundedInput.claim(input, size, "an Arrays.asList list");
            return super.create(kryo, input, type, size);
        }
    }

    /** Kryo's object and boolean array serializers allocate from the length they read first: claimed here, before them. */
    private static final class LengthChecked extends Serializer<Object> {
        private final Serializer<Object> delegate;

        @SuppressWarnings("unchecked")
        LengthChecked(Serializer<?> delegate) {
            super(delegate.getAcceptsNull(), delegate.isImmutable());
            this.delegate = (Serializer<Object>) delegate;
        }

        @Override
        public void write(Kryo kryo, Output output, Object array) {
            delegate.write(kryo, output, array);
        }

        @Override
        public Object read(Kryo kryo, Input input, Class<?> type) {
            if (input instanceof BoundedInput bounded) {
                int lengthPlusOne = bounded.peekVarInt();
                if (lengthPlusOne > 1) {
                    bounded.claim(lengthPlusOne - 1L, "an array of " + type.getComponentType().getName());
                }
            }
            return delegate.read(kryo, input, (Class<? extends Object>) type);
        }

        @Override
        public Object copy(Kryo kryo, Object original) {
            return delegate.copy(kryo, original);
        }
    }
}
