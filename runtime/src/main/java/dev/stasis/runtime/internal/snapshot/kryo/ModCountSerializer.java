package dev.stasis.runtime.internal.snapshot.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/**
 * Keeps a JDK collection's {@code modCount} across a snapshot. A collection is rebuilt by adding
 * its elements, which counts modifications afresh, while an iterator or sub-list captured with it
 * remembers the old count: a for-each loop suspended mid-list would throw
 * {@code ConcurrentModificationException} after a restore. Wraps the type's real serializer.
 */
final class ModCountSerializer extends Serializer<Object> {
    private final Serializer<Object> delegate;
    private final Field modCount;

    @SuppressWarnings("unchecked")
    private ModCountSerializer(Serializer<?> delegate, Field modCount) {
        this.delegate = (Serializer<Object>) delegate;
        this.modCount = modCount;
        setAcceptsNull(delegate.getAcceptsNull());
    }

    /** {@code serializer} itself when {@code type} has no accessible {@code modCount}. */
    static Serializer<?> wrapIfCounting(Class<?> type, Serializer<?> serializer) {
        Field field = modCountField(type);
        return field == null ? serializer : new ModCountSerializer(serializer, field);
    }

    @Override
    public void write(Kryo kryo, Output output, Object collection) {
        try {
            output.writeInt(modCount.getInt(collection));
        } catch (IllegalAccessException e) {
            throw new KryoException("cannot read the modification count of " + collection.getClass().getName(), e);
        }
        delegate.write(kryo, output, collection);
    }

    @Override
    public Object read(Kryo kryo, Input input, Class<?> type) {
        int saved = input.readInt();
        Object collection = delegate.read(kryo, input, (Class<? extends Object>) type);
        try {
            modCount.setInt(collection, saved);
        } catch (IllegalAccessException e) {
            throw new KryoException("cannot restore the modification count of " + type.getName(), e);
        }
        return collection;
    }

    private static Field modCountField(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getName().equals("modCount") && f.getType() == int.class && !Modifier.isStatic(f.getModifiers())
                        && !Modifier.isFinal(f.getModifiers())) {
                    return f.trySetAccessible() ? f : null;
                }
            }
        }
        return null;
    }
}
