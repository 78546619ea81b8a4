package dev.stasis.runtime.internal.snapshot.kryo;

import static org.assertj.core.api.Assertions.assertThat;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.util.Util;
import org.junit.jupiter.api.Test;

class SnapshotKryoFactoryTest {

    @Test
    void kryo_never_uses_sun_misc_unsafe_and_the_system_property_is_left_as_it_was() {
        String before = System.getProperty("kryo.unsafe");

        Kryo kryo = SnapshotKryoFactory.create(getClass().getClassLoader());

        assertThat(kryo.getReferences()).isTrue();
        assertThat(Util.unsafe).as("JDK 24+ prints a warning when sun.misc.Unsafe memory access is used").isFalse();
        assertThat(System.getProperty("kryo.unsafe")).isEqualTo(before);
    }

    @Test
    void every_hidden_class_goes_to_the_lambda_serializer() {
        Kryo kryo = SnapshotKryoFactory.create(getClass().getClassLoader());
        Runnable lambda = () -> { };

        assertThat(kryo.getRegistration(lambda.getClass()).getSerializer()).isInstanceOf(LambdaSerializer.class);
    }
}
