package dev.stasis.agent.inspect;

import com.esotericsoftware.kryo.Kryo;
import dev.stasis.runtime.internal.capture.StasisThreads;
import dev.stasis.runtime.internal.snapshot.Manifest;
import dev.stasis.runtime.internal.snapshot.ReadOptions;
import dev.stasis.runtime.internal.snapshot.SnapshotCodec;
import dev.stasis.runtime.internal.snapshot.SnapshotContent;
import dev.stasis.runtime.internal.snapshot.SnapshotKey;
import dev.stasis.runtime.internal.snapshot.VerifiedSnapshot;
import dev.stasis.runtime.internal.snapshot.kryo.SnapshotKryoFactory;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The only class of the inspection tools that touches the snapshot format: it reads through the
 * codec's public entry points, exactly as a resume does, so a change of the format changes this
 * class and nothing else here.
 */
final class SnapshotReader {
    private final ReadOptions options;

    /**
     * @param key          the HMAC key snapshots are signed with, or null
     * @param trustUnsigned when there is no key, read signed snapshots too, checking their checksums
     *                      but not their signature (inspection); a resume, and so {@code verify},
     *                      refuses a signed snapshot without its key
     */
    SnapshotReader(SnapshotKey key, boolean trustUnsigned) {
        ReadOptions base = ReadOptions.defaults();
        this.options = key != null ? base.withKey(key) : trustUnsigned ? base.ignoringMac() : base;
    }

    /**
     * Everything a resume checks before it rebuilds objects: header, manifest, every block's
     * checksum and decompression, the trailer with the class list, the signature.
     */
    VerifiedSnapshot check(Path file) throws IOException {
        return SnapshotCodec.verify(file, options);
    }

    /**
     * The saved objects, their classes resolved through {@code loader} (only those on the
     * snapshot's class list), read on a thread with a large stack as a resume does.
     */
    SnapshotContent content(Path file, ClassLoader loader) throws IOException {
        try {
            return StasisThreads.call("inspect-reader", () -> SnapshotCodec.readContent(file, loader, options));
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (LinkageError e) {
            throw new IOException("a class of the snapshot cannot be loaded from the class path: " + e, e);
        } catch (Exception e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /**
     * The class path the program ran with, when the snapshot records it, with relative entries
     * resolved against the working directory it ran in (inspect may run elsewhere).
     */
    Optional<String> recordedClassPath(Manifest manifest) {
        Map<String, String> properties = manifest.environment().properties();
        String classPath = properties.get("java.class.path");
        if (classPath == null || classPath.isEmpty()) {
            return Optional.empty();
        }
        String workingDirectory = properties.get("user.dir");
        if (workingDirectory == null) {
            return Optional.of(classPath);
        }
        return Optional.of(Arrays.stream(classPath.split(Pattern.quote(File.pathSeparator)))
                .map(entry -> entry.isEmpty() ? workingDirectory : Path.of(workingDirectory).resolve(entry).normalize().toString())
                .collect(Collectors.joining(File.pathSeparator)));
    }

    /** A Kryo configured as the snapshot's writer configures it, for measuring what each object takes. */
    Kryo kryo(ClassLoader loader) {
        return SnapshotKryoFactory.create(loader);
    }
}
