package dev.stasis.runtime.internal.snapshot.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.FieldSerializer;

/**
 * Kryo with two additions: every nested write records, only when it fails, the object it was
 * writing (so a failure can say where in the graph it happened: see {@link CapturePathException});
 * and the JDK's collection wrappers are written field by field (their collection serializer would
 * call {@code add} on an unmodifiable view).
 */
final class SnapshotKryo extends Kryo {

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
        if (isCollectionWrapper(type)) {
            return new FieldSerializer<>(this, type);
        }
        return super.getDefaultSerializer(type);
    }

    /** {@code Collections.unmodifiable*}, {@code synchronized*}, {@code checked*} views. */
    static boolean isCollectionWrapper(Class<?> type) {
        String name = type.getName();
        return name.startsWith("java.util.Collections$Unmodifiable")
                || name.startsWith("java.util.Collections$Synchronized")
                || name.startsWith("java.util.Collections$Checked");
    }
}
