package dev.stasis.agent.inspect;

import com.esotericsoftware.kryo.Kryo;
import dev.stasis.runtime.internal.capture.StasisThreads;
import dev.stasis.runtime.internal.snapshot.Manifest;
import dev.stasis.runtime.internal.snapshot.SnapshotCodec;
import dev.stasis.runtime.internal.snapshot.SnapshotContent;
import dev.stasis.runtime.internal.snapshot.kryo.SnapshotKryoFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The only class of the inspection tools that touches the snapshot format: it reads through the
 * codec's public entry points, exactly as a resume does, so a change of the format (a new version,
 * compression, a signature) changes this class and nothing else here.
 *
 * <p>A signed snapshot needs its HMAC key to be read: the key belongs to this object (a
 * constructor argument passed on to every read), given by a {@code --key} option in
 * {@code SnapshotOptions}.
 */
final class SnapshotReader {
    SnapshotReader() {
    }

    /** Header and manifest, then every block checksum and the trailer, as a resume checks them. */
    Manifest manifest(Path file) throws IOException {
        return SnapshotCodec.readManifest(file);
    }

    /**
     * The saved objects, their classes resolved through {@code loader}, read on a thread with a
     * large stack like a resume does (a deep object graph recurses deeply).
     */
    SnapshotContent content(Path file, ClassLoader loader) throws IOException {
        try {
            return StasisThreads.call("inspect-reader", () -> SnapshotCodec.readContent(file, loader));
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (LinkageError e) {
            throw new IOException("a class of the snapshot cannot be loaded from the class path: " + e, e);
        } catch (Exception e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** The class path the program ran with, when the snapshot records it (format version 1 does not). */
    Optional<String> recordedClassPath(Manifest manifest) {
        return Optional.empty();
    }

    /** A Kryo configured as the snapshot's writer configures it, for measuring what each object takes. */
    Kryo kryo(ClassLoader loader) {
        return SnapshotKryoFactory.create(loader);
    }
}
