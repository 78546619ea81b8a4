package dev.stasis.runtime.internal.snapshot.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.lang.reflect.Field;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code java.util.Random} (exactly that class): its 48-bit state and the cached Gaussian, so the
 * restored generator continues the same sequence. Reads private fields: java.util is opened to
 * the agent at runtime.
 */
final class RandomSerializer extends Serializer<Random> {
    /** {@code Random.setSeed} stores {@code (seed ^ MULTIPLIER) & mask}; xor first to store the raw state. */
    private static final long MULTIPLIER = 0x5DEECE66DL;
    private Field seed;
    private Field nextNextGaussian;
    private Field haveNextNextGaussian;

    @Override
    public void write(Kryo kryo, Output output, Random random) {
        resolveFields();
        try {
            output.writeLong(((AtomicLong) seed.get(random)).get());
            output.writeDouble(nextNextGaussian.getDouble(random));
            output.writeBoolean(haveNextNextGaussian.getBoolean(random));
        } catch (IllegalAccessException e) {
            throw new KryoException("cannot read the state of java.util.Random", e);
        }
    }

    @Override
    public Random read(Kryo kryo, Input input, Class<? extends Random> type) {
        resolveFields();
        Random random = new Random();
        random.setSeed(input.readLong() ^ MULTIPLIER);
        try {
            nextNextGaussian.setDouble(random, input.readDouble());
            haveNextNextGaussian.setBoolean(random, input.readBoolean());
        } catch (IllegalAccessException e) {
            throw new KryoException("cannot restore the state of java.util.Random", e);
        }
        return random;
    }

    private void resolveFields() {
        if (seed == null) {
            nextNextGaussian = JdkFields.field(Random.class, "nextNextGaussian");
            haveNextNextGaussian = JdkFields.field(Random.class, "haveNextNextGaussian");
            seed = JdkFields.field(Random.class, "seed");
        }
    }
}
