package dev.stasis.runtime.internal.snapshot.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.SerializerFactory;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.CollectionSerializer;
import com.esotericsoftware.kryo.serializers.FieldSerializer;
import com.esotericsoftware.kryo.serializers.MapSerializer;
import java.util.Collection;
import java.util.Map;

/**
 * Kryo with these additions: field serializers copy every field; every nested write records, only when it fails, the object it was
 * writing (so a failure can say where in the graph it happened: see {@link CapturePathException});
 * and the JDK's collection wrappers and views are written field by field (a collection serializer
 * would call {@code add} on an unmodifiable view, or cannot create a view at all).
 */
final class SnapshotKryo extends Kryo {
    private final FieldSerializer.FieldSerializerConfig applicationFields = new FieldSerializer.FieldSerializerConfig();
    private final FieldSerializer.FieldSerializerConfig jdkFields = new FieldSerializer.FieldSerializerConfig();

    /**
     * A checkpoint copies the whole in-memory state of application objects: synthetic fields (an
     * inner class's {@code this$0}, an anonymous class's captured {@code val$x}) and transient
     * fields (caches, counters, lazily built state) included; Kryo skips both by default, and no
     * {@code readObject} hook runs here to rebuild them. JDK classes keep their transient fields
     * out: there they cache derived objects such as the key-set view of a synchronized map, which
     * cannot be rebuilt element by element.
     */
    SnapshotKryo() {
        applicationFields.setIgnoreSyntheticFields(false);
        applicationFields.setSerializeTransient(true);
        jdkFields.setIgnoreSyntheticFields(false);
        setDefaultSerializer(new SerializerFactory.BaseSerializerFactory<FieldSerializer<?>>() {
            @Override
            public FieldSerializer<?> newSerializer(Kryo kryo, Class type) {
                return new FieldSerializer<>(kryo, type, isJdkClass(type) ? jdkFields : applicationFields);
            }
        });
    }

    static boolean isJdkClass(Class<?> type) {
        ClassLoader loader = type.getClassLoader();
        return loader == null || loader == ClassLoader.getPlatformClassLoader();
    }

    @Override
    public void writeClassAndObject(Output output, Object object) {
        try {
            super.writeClassAndObject(output, object);
        } catch (RuntimeException e) {
            throw CapturePathException.through(e, object);
        }
    }

    @Override
    public void writeObject(Output output, Object object) {
        try {
            super.writeObject(output, object);
        } catch (RuntimeException e) {
            throw CapturePathException.through(e, object);
        }
    }

    @Override
    public void writeObject(Output output, Object object, Serializer serializer) {
        try {
            super.writeObject(output, object, serializer);
        } catch (RuntimeException e) {
            throw CapturePathException.through(e, object);
        }
    }

    @Override
    public void writeObjectOrNull(Output output, Object object, Class type) {
        try {
            super.writeObjectOrNull(output, object, type);
        } catch (RuntimeException e) {
            throw CapturePathException.through(e, object);
        }
    }

    @Override
    public void writeObjectOrNull(Output output, Object object, Serializer serializer) {
        try {
            super.writeObjectOrNull(output, object, serializer);
        } catch (RuntimeException e) {
            throw CapturePathException.through(e, object);
        }
    }

    @Override
    public Serializer getDefaultSerializer(Class type) {
        Serializer<?> serializer = containerSerializer(type);
        boolean container = Collection.class.isAssignableFrom(type) || Map.class.isAssignableFrom(type);
        return container && isJdkClass(type) ? ModCountSerializer.wrapIfCounting(type, serializer) : serializer;
    }

    private Serializer<?> containerSerializer(Class<?> type) {
        if (isCollectionWrapper(type)) {
            return new FieldSerializer<>(this, type, jdkFields);
        }
        Serializer<?> serializer = super.getDefaultSerializer(type);
        if (isGenericContainerSerializer(serializer) && isJdkClass(type) && !hasNoArgConstructor(type)) {
            // A view (HashMap.keySet(), ArrayList.subList(), TreeMap.headMap(), ...): it cannot be
            // created empty and filled, but its fields (the backing collection, bounds) restore it.
            return new FieldSerializer<>(this, type, jdkFields);
        }
        return serializer;
    }

    private static boolean isGenericContainerSerializer(Serializer<?> serializer) {
        return serializer.getClass() == CollectionSerializer.class || serializer.getClass() == MapSerializer.class;
    }

    private static boolean hasNoArgConstructor(Class<?> type) {
        try {
            type.getDeclaredConstructor();
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /** {@code Collections.unmodifiable*}, {@code synchronized*}, {@code checked*} views. */
    static boolean isCollectionWrapper(Class<?> type) {
        String name = type.getName();
        return name.startsWith("java.util.Collections$Unmodifiable")
                || name.startsWith("java.util.Collections$Synchronized")
                || name.startsWith("java.util.Collections$Checked");
    }
}
