package dev.stasis.runtime.internal.snapshot.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.SerializerFactory;
import com.esotericsoftware.kryo.serializers.FieldSerializer;
import com.esotericsoftware.kryo.serializers.FieldSerializer.FieldSerializerConfig;

/**
 * The serializer of objects no other serializer claims. A checkpoint must keep an application
 * object exactly as it is in memory, so for application classes every field is written:
 * {@code transient} ones (caches, handles the program rebuilt itself and still holds) and
 * synthetic ones (an inner or anonymous class's {@code this$0}, captured {@code val$x}), which
 * Kryo skips by default; without them an anonymous listener comes back with a null outer instance.
 *
 * <p>JDK classes keep Kryo's defaults: their transient fields are derived state that their own
 * serialization rebuilds, and some hold JDK-internal lambdas that cannot be saved.
 */
final class WholeStateSerializerFactory implements SerializerFactory<FieldSerializer<?>> {
    private final FieldSerializerConfig applicationConfig = new FieldSerializerConfig();
    private final FieldSerializerConfig jdkConfig = new FieldSerializerConfig();

    WholeStateSerializerFactory() {
        applicationConfig.setSerializeTransient(true);
        applicationConfig.setCopyTransient(true);
        applicationConfig.setIgnoreSyntheticFields(false);
    }

    @Override
    public FieldSerializer<?> newSerializer(Kryo kryo, Class type) {
        return new FieldSerializer<>(kryo, type, isJdk(type) ? jdkConfig.clone() : applicationConfig.clone());
    }

    @Override
    public boolean isSupported(Class type) {
        return true;
    }

    private static boolean isJdk(Class<?> type) {
        ClassLoader loader = type.getClassLoader();
        return loader == null || loader == ClassLoader.getPlatformClassLoader();
    }
}
