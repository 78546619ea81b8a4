package dev.stasis.runtime.internal.snapshot.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.SerializerFactory;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.CollectionSerializer;
import com.esotericsoftware.kryo.serializers.FieldSerializer;
import com.esotericsoftware.kryo.serializers.MapSerializer;
import dev.stasis.runtime.internal.snapshot.files.FileReopening;
import java.util.Collection;
import java.util.Map;

/**
 * Kryo with these additions: field serializers copy every field; every nested write records, only when it fails, the object it was
 * writing (so a failure can say where in the graph it happened: see {@link CapturePathException});
 * the JDK's collection wrappers and views are written field by field (a collection serializer
 * would call {@code add} on an unmodifiable view, or cannot create a view at all); the graph's depth
 * is bounded when writing and reading, and the number of values read is bounded (a reader refuses
 * what a writer could never have written).
 */
final class SnapshotKryo extends Kryo {
    private final FieldSerializer.FieldSerializerConfig applicationFields = new FieldSerializer.FieldSerializerConfig();
    private final FieldSerializer.FieldSerializerConfig jdkFields = new FieldSerializer.FieldSerializerConfig();
    private final int maxDepth;
    private final long maxValues;
    private final FileReopening files;
    private long valuesRead;

    /**
     * A checkpoint copies the whole in-memory state of application objects: synthetic fields (an
     * inner class's {@code this$0}, an anonymous class's captured {@code val$x}) and transient
     * fields (caches, counters, lazily built state) included; Kryo skips both by default, and no
     * {@code readObject} hook runs here to rebuild them. JDK classes keep their transient fields
     * out: there they cache derived objects such as the key-set view of a synchronized map, which
     * cannot be rebuilt element by element.
     */
    SnapshotKryo(ManifestClassResolver classes, int maxDepth, long maxValues, FileReopening files) {
        super(classes, null);
        this.maxDepth = maxDepth;
        this.maxValues = maxValues;
        this.files = files;
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

    /** The field configuration the default serializer uses for {@code type}, for serializers built on it. */
    static FieldSerializer.FieldSerializerConfig fieldConfig(Kryo kryo, Class<?> type) {
        SnapshotKryo snapshotKryo = (SnapshotKryo) kryo;
        return isJdkClass(type) ? snapshotKryo.jdkFields : snapshotKryo.applicationFields;
    }

    /** How this read reopens the open files of the snapshot. */
    static FileReopening files(Kryo kryo) {
        return ((SnapshotKryo) kryo).files;
    }

    static boolean isJdkClass(Class<?> type) {
        ClassLoader loader = type.getClassLoader();
        return loader == null || loader == ClassLoader.getPlatformClassLoader();
    }

    /** Reading refuses a graph deeper than this, so writing one would make a snapshot that can never be resumed. */
    private void checkWriteDepth(Object object) {
        if (getDepth() >= maxDepth) {
            throw CapturePathException.refuse(object, "the object graph nests deeper than " + maxDepth
                    + " levels, the most a snapshot holds: break the chain (e.g. keep a long linked structure in a list)");
        }
    }

    @Override
    public void writeClassAndObject(Output output, Object object) {
        try {
            checkWriteDepth(object);
            super.writeClassAndObject(output, object);
        } catch (RuntimeException e) {
            throw CapturePathException.through(e, object);
        }
    }

    @Override
    public void writeObject(Output output, Object object) {
        try {
            checkWriteDepth(object);
            super.writeObject(output, object);
        } catch (RuntimeException e) {
            throw CapturePathException.through(e, object);
        }
    }

    @Override
    public void writeObject(Output output, Object object, Serializer serializer) {
        try {
            checkWriteDepth(object);
            super.writeObject(output, object, serializer);
        } catch (RuntimeException e) {
            throw CapturePathException.through(e, object);
        }
    }

    @Override
    public void writeObjectOrNull(Output output, Object object, Class type) {
        try {
            checkWriteDepth(object);
            super.writeObjectOrNull(output, object, type);
        } catch (RuntimeException e) {
            throw CapturePathException.through(e, object);
        }
    }

    @Override
    public void writeObjectOrNull(Output output, Object object, Serializer serializer) {
        try {
            checkWriteDepth(object);
            super.writeObjectOrNull(output, object, serializer);
        } catch (RuntimeException e) {
            throw CapturePathException.through(e, object);
        }
    }

    @Override
    public Object readClassAndObject(Input input) {
        enterRead();
        return super.readClassAndObject(input);
    }

    @Override
    public <T> T readObject(Input input, Class<T> type) {
        enterRead();
        return super.readObject(input, type);
    }

    @Override
    public <T> T readObject(Input input, Class<T> type, Serializer serializer) {
        enterRead();
        return super.readObject(input, type, serializer);
    }

    @Override
    public <T> T readObjectOrNull(Input input, Class<T> type) {
        enterRead();
        return super.readObjectOrNull(input, type);
    }

    @Override
    public <T> T readObjectOrNull(Input input, Class<T> type, Serializer serializer) {
        enterRead();
        return super.readObjectOrNull(input, type, serializer);
    }

    /** Each value read (an object, a null, a back-reference) takes at least one byte of the payload. */
    private void enterRead() {
        if (getDepth() >= maxDepth) {
            throw new RefusedReadException("the object graph nests deeper than " + maxDepth
                    + " levels, the most a snapshot holds (a writer refuses such a graph)");
        }
        if (++valuesRead > maxValues) {
            throw new RefusedReadException("the object graph holds more than " + maxValues + " values");
        }
    }

    @Override
    public Serializer getDefaultSerializer(Class type) {
        Serializer<?> serializer = BoundedContainers.bounded(type, containerSerializer(type));
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
        return serializer.getClass() == CollectionSerializer.class || serializer.getClass() == MapSerializer.class
                || BoundedContainers.isGeneric(serializer);
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
