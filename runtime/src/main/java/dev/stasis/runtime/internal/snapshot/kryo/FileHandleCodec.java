package dev.stasis.runtime.internal.snapshot.kryo;

import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.stasis.runtime.internal.snapshot.files.FileHandle;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The bytes of a {@link FileHandle} (docs/FORMAT.md, "Open files"): a boolean {@code open}, the
 * path as a nullable string, and for an open file the access bits (varint), position and length
 * (varlongs), modification time in nanoseconds (long) and sampled content hash (int).
 */
final class FileHandleCodec {
    private FileHandleCodec() {
    }

    static void write(Output output, FileHandle handle) {
        output.writeBoolean(handle.open());
        output.writeString(handle.path());
        if (handle.open()) {
            output.writeVarInt(handle.access(), true);
            output.writeVarLong(handle.position(), true);
            output.writeVarLong(handle.length(), true);
            output.writeLong(handle.modifiedNanos());
            output.writeInt(handle.sampleHash());
        }
    }

    /** Refuses what a writer never writes: an open file without an absolute path, unknown access bits, negative offsets. */
    static FileHandle read(Input input) {
        boolean open = input.readBoolean();
        String path = input.readString();
        if (!open) {
            return FileHandle.closed(path);
        }
        if (path == null || !isAbsolute(path)) {
            throw new RefusedReadException("an open file handle whose path is not absolute: " + path);
        }
        int access = input.readVarInt(true);
        long position = input.readVarLong(true);
        long length = input.readVarLong(true);
        if (!FileHandle.isValidAccess(access) || position < 0 || length < 0) {
            throw new RefusedReadException("a file handle of " + path + " with access " + access + ", position "
                    + position + ", length " + length);
        }
        return new FileHandle(true, path, access, position, length, input.readLong(), input.readInt());
    }

    private static boolean isAbsolute(String path) {
        try {
            return Path.of(path).isAbsolute();
        } catch (InvalidPathException e) {
            return false;
        }
    }
}
