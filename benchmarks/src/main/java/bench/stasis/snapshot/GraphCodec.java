package bench.stasis.snapshot;

import java.io.IOException;
import java.nio.file.Path;

/** One way to write an object graph to a file and read it back. */
interface GraphCodec {
    String name();

    /** @return bytes written */
    long write(Object root, Path file) throws IOException;

    Object read(Path file) throws IOException;
}
