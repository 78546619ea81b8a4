package dev.stasis.runtime.internal.snapshot.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.nio.file.FileSystems;
import java.nio.file.Path;

/**
 * Paths of the default file system, by their string (applications keep paths in their state
 * often; the JDK's implementation classes are not serializable field by field). A path of another
 * file system (a zip, a memory file system) is an open resource and is refused.
 */
final class PathSerializer extends Serializer<Path> {
    @Override
    public void write(Kryo kryo, Output output, Path path) {
        if (path.getFileSystem() != FileSystems.getDefault()) {
            throw CapturePathException.refuse(path, "a path of the file system " + path.getFileSystem()
                    + " (not the default one) cannot be saved");
        }
        output.writeString(path.toString());
    }

    @Override
    public Path read(Kryo kryo, Input input, Class<? extends Path> type) {
        return Path.of(input.readString());
    }
}
