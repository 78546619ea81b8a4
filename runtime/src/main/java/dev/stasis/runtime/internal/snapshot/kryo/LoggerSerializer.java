package dev.stasis.runtime.internal.snapshot.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.logging.Logger;

/**
 * {@code java.util.logging.Logger} by name: applications keep loggers in static fields, and the
 * restored program must log through the new JVM's logger of that name, not a copy of the old one.
 */
final class LoggerSerializer extends Serializer<Logger> {
    @Override
    public void write(Kryo kryo, Output output, Logger logger) {
        output.writeString(logger.getName());
    }

    @Override
    public Logger read(Kryo kryo, Input input, Class<? extends Logger> type) {
        String name = input.readString();
        return name == null ? Logger.getAnonymousLogger() : Logger.getLogger(name);
    }
}
