package dev.stasis.runtime.internal.snapshot.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketException;
import java.util.List;
import java.util.Optional;

/**
 * The streams of a {@code Socket} ({@code Socket$SocketInputStream}/{@code SocketOutputStream}),
 * which readers and writers wrapped around a connection keep: they come back as streams of a
 * closed socket, throwing what a closed socket's stream throws, so the wrappers around them fail
 * the ordinary way instead of the checkpoint being refused.
 */
final class ClosedSocketStreams {
    private static final String CLOSED = "Socket is closed";

    private ClosedSocketStreams() {
    }

    /** The JDK's socket stream classes this JDK has, and the closed stand-ins (so they survive further checkpoints). */
    static List<Class<?>> inputTypes() {
        return present("java.net.Socket$SocketInputStream", ClosedInput.class);
    }

    static List<Class<?>> outputTypes() {
        return present("java.net.Socket$SocketOutputStream", ClosedOutput.class);
    }

    private static List<Class<?>> present(String jdkClass, Class<?> standIn) {
        return jdkClass(jdkClass).<List<Class<?>>>map(type -> List.of(type, standIn)).orElse(List.of(standIn));
    }

    private static Optional<Class<?>> jdkClass(String name) {
        try {
            return Optional.of(Class.forName(name, false, null));
        } catch (ClassNotFoundException e) {
            return Optional.empty(); // a JDK that names its socket streams otherwise: they are written field by field
        }
    }

    static Serializer<Object> inputSerializer() {
        return new StandIn(ClosedInput::new);
    }

    static Serializer<Object> outputSerializer() {
        return new StandIn(ClosedOutput::new);
    }

    private static final class StandIn extends Serializer<Object> {
        private final java.util.function.Supplier<Object> standIn;

        StandIn(java.util.function.Supplier<Object> standIn) {
            this.standIn = standIn;
        }

        @Override
        public void write(Kryo kryo, Output output, Object stream) {
            // nothing: the stream's socket comes back closed
        }

        @Override
        public Object read(Kryo kryo, Input input, Class<?> type) {
            return standIn.get();
        }
    }

    /** Reads fail as a closed socket's stream does. */
    static final class ClosedInput extends InputStream {
        @Override
        public int read() throws IOException {
            throw new SocketException(CLOSED);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            throw new SocketException(CLOSED);
        }

        @Override
        public int available() throws IOException {
            throw new SocketException(CLOSED);
        }
    }

    /** Writes fail as a closed socket's stream does. */
    static final class ClosedOutput extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            throw new SocketException(CLOSED);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            throw new SocketException(CLOSED);
        }
    }
}
