package dev.stasis.runtime.internal.snapshot.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.lang.reflect.Field;
import java.security.DrbgParameters;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.SecureRandomParameters;
import java.util.Random;

/**
 * {@code java.security.SecureRandom} (exactly that class) by algorithm, provider and DRBG
 * parameters, and read back as a new instance of them: seeded afresh by the resuming JVM, so two
 * resumes of one snapshot never hand out the same bytes (a repeated nonce or key is the failure
 * this prevents). The JDK's Java serialization draws the same line: NativePRNG and DRBG come back
 * reseeded, SHA1PRNG keeps its state. A SHA1PRNG ({@code sun.security.provider.SecureRandom}) that
 * has been seeded is deterministic from its state (a program that calls {@code setSeed} before
 * first use relies on that), so its state is written and its sequence continues; Stasis cannot
 * tell whether such a state came from the program's seed or from SHA1PRNG seeding itself.
 */
final class SecureRandomSerializer extends Serializer<SecureRandom> {
    private static final String SHA1PRNG_SPI = "sun.security.provider.SecureRandom";
    private Field spi;
    private Field state;
    private Field remainder;
    private Field remCount;
    private Field nextNextGaussian;
    private Field haveNextNextGaussian;

    @Override
    public void write(Kryo kryo, Output output, SecureRandom random) {
        output.writeString(random.getAlgorithm());
        output.writeString(random.getProvider().getName());
        writeParameters(output, random.getParameters());
        Object engine = JdkFields.read(spiField(), random);
        byte[] seededState = engine.getClass().getName().equals(SHA1PRNG_SPI) ? (byte[]) JdkFields.read(sha1Field("state"), engine) : null;
        output.writeBoolean(seededState != null);
        if (seededState != null) {
            // the program is parked while a checkpoint writes, so neither the engine nor the gaussian cache changes
            writeBytes(output, seededState);
            writeBytes(output, (byte[]) JdkFields.read(sha1Field("remainder"), engine));
            output.writeInt((Integer) JdkFields.read(sha1Field("remCount"), engine));
            output.writeDouble((Double) JdkFields.read(gaussian(), random));
            output.writeBoolean((Boolean) JdkFields.read(haveGaussian(), random));
        }
    }

    @Override
    public SecureRandom read(Kryo kryo, Input input, Class<? extends SecureRandom> type) {
        String algorithm = input.readString();
        String provider = input.readString();
        SecureRandomParameters parameters = readParameters(input);
        SecureRandom random;
        try {
            random = parameters == null ? SecureRandom.getInstance(algorithm, provider)
                    : SecureRandom.getInstance(algorithm, parameters, provider);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new KryoException("the program's SecureRandom (" + algorithm + " of provider " + provider
                    + ") cannot be created in this JVM: " + e + ". Resume on a JVM with that provider installed"
                    + " (java.security), or start fresh with restore=never", e);
        }
        if (input.readBoolean()) {
            Object engine = JdkFields.read(spiField(), random);
            set(sha1Field("state"), engine, readBytes(input));
            set(sha1Field("remainder"), engine, readBytes(input));
            set(sha1Field("remCount"), engine, input.readInt());
            set(gaussian(), random, input.readDouble());
            set(haveGaussian(), random, input.readBoolean());
        }
        return random;
    }

    private static void writeParameters(Output output, SecureRandomParameters parameters) {
        if (!(parameters instanceof DrbgParameters.Instantiation drbg)) {
            output.writeBoolean(false); // other algorithms take no parameters from the JDK's providers
            return;
        }
        output.writeBoolean(true);
        output.writeInt(drbg.getStrength());
        output.writeString(drbg.getCapability().name());
        writeBytes(output, drbg.getPersonalizationString());
    }

    private static SecureRandomParameters readParameters(Input input) {
        if (!input.readBoolean()) {
            return null;
        }
        int strength = input.readInt();
        String capability = input.readString();
        byte[] personalization = readBytes(input);
        try {
            return DrbgParameters.instantiation(strength, DrbgParameters.Capability.valueOf(capability), personalization);
        } catch (IllegalArgumentException e) {
            throw new KryoException("DRBG parameters strength " + strength + ", capability " + capability + ": " + e.getMessage(), e);
        }
    }

    private static void writeBytes(Output output, byte[] bytes) {
        output.writeVarInt(bytes == null ? 0 : bytes.length + 1, true);
        if (bytes != null) {
            output.writeBytes(bytes);
        }
    }

    private static byte[] readBytes(Input input) {
        int lengthPlusOne = input.readVarInt(true);
        return lengthPlusOne == 0 ? null : input.readBytes(lengthPlusOne - 1);
    }

    private Field spiField() {
        if (spi == null) {
            spi = JdkFields.field(SecureRandom.class, "secureRandomSpi");
        }
        return spi;
    }

    private Field sha1Field(String name) {
        if (state == null) {
            Class<?> sha1;
            try {
                sha1 = Class.forName(SHA1PRNG_SPI, false, null);
            } catch (ClassNotFoundException e) {
                throw new KryoException("this JDK has no " + SHA1PRNG_SPI + " for a SHA1PRNG's state", e);
            }
            state = JdkFields.field(sha1, "state");
            remainder = JdkFields.field(sha1, "remainder");
            remCount = JdkFields.field(sha1, "remCount");
        }
        switch (name) {
            case "state": return state;
            case "remainder": return remainder;
            default: return remCount;
        }
    }

    private Field gaussian() {
        if (nextNextGaussian == null) {
            nextNextGaussian = JdkFields.field(Random.class, "nextNextGaussian");
        }
        return nextNextGaussian;
    }

    private Field haveGaussian() {
        if (haveNextNextGaussian == null) {
            haveNextNextGaussian = JdkFields.field(Random.class, "haveNextNextGaussian");
        }
        return haveNextNextGaussian;
    }

    private static void set(Field field, Object owner, Object value) {
        try {
            field.set(owner, value);
        } catch (IllegalAccessException e) {
            throw new KryoException("cannot restore " + field, e);
        }
    }
}
