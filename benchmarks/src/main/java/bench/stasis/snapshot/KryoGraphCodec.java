package bench.stasis.snapshot;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Plain Kryo as a user would start with it: default {@code Output}/{@code Input} and serializers,
 * changed only where this graph needs it (references on for the shared objects, registration
 * off for classes nobody registered).
 */
final class KryoGraphCodec implements GraphCodec {
    private static final int BUFFER = 1 << 16;

    @Override
    public String name() {
        return "Kryo 5.6.2 (defaults, references on)";
    }

    @Override
    public long write(Object root, Path file) throws IOException {
        try (OutputStream stream = Files.newOutputStream(file); Output output = new Output(stream, BUFFER)) {
            newKryo().writeClassAndObject(output, root);
            output.flush();
            return output.total();
        }
    }

    @Override
    public Object read(Path file) throws IOException {
        try (InputStream stream = Files.newInputStream(file); Input input = new Input(stream, BUFFER)) {
            return newKryo().readClassAndObject(input);
        }
    }

    private static Kryo newKryo() {
        Kryo kryo = new Kryo();
        kryo.setReferences(true);
        kryo.setRegistrationRequired(false);
        return kryo;
    }
}
