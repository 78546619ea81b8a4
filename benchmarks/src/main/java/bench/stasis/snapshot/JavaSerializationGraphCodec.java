package bench.stasis.snapshot;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** The JDK's own {@code ObjectOutputStream}, the baseline every Java developer knows. */
final class JavaSerializationGraphCodec implements GraphCodec {
    private static final int BUFFER = 1 << 16;

    @Override
    public String name() {
        return "ObjectOutputStream";
    }

    @Override
    public long write(Object root, Path file) throws IOException {
        try (ObjectOutputStream out = new ObjectOutputStream(new BufferedOutputStream(Files.newOutputStream(file), BUFFER))) {
            out.writeObject(root);
        }
        return Files.size(file);
    }

    @Override
    public Object read(Path file) throws IOException {
        try (ObjectInputStream in = new ObjectInputStream(new BufferedInputStream(Files.newInputStream(file), BUFFER))) {
            return in.readObject();
        } catch (ClassNotFoundException e) {
            throw new IOException("Cannot read the graph back from " + file + ": " + e.getMessage(), e);
        }
    }
}
