package dev.stasis.agent.inspect;

import dev.stasis.rt.Frame;
import dev.stasis.runtime.RestoreException;
import dev.stasis.runtime.internal.restore.FingerprintCheck;
import dev.stasis.runtime.internal.snapshot.ClassStatics;
import dev.stasis.runtime.internal.snapshot.Manifest;
import dev.stasis.runtime.internal.snapshot.SnapshotContent;
import dev.stasis.runtime.internal.snapshot.ThreadCapture;
import dev.stasis.runtime.internal.snapshot.VerifiedSnapshot;
import java.io.IOException;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks a snapshot the way a resume would, without resuming: the file (header, manifest, every
 * block checksum, the trailer and its class list, the signature), the classes on the class path against the recorded fingerprints,
 * that the saved objects can be read (in an {@link IsolatedClassPath}, so no static initialiser of
 * the program runs), that there is one thread to resume, that every recorded static field exists
 * with a type that can hold its value, and that every frame has the shape the code saves at its
 * point. The first problem found is the answer, as for a resume.
 */
final class SnapshotVerifier {
    /** A snapshot a resume would refuse, or that cannot be checked; the message says why and where. */
    static final class Failure extends Exception {
        Failure(String message) {
            super(message);
        }
    }

    /** What a successful check covered. */
    record Verified(Manifest manifest, int threads, int frames, int staticClasses, String classPath) {
    }

    private final SnapshotReader reader;

    SnapshotVerifier(SnapshotReader reader) {
        this.reader = reader;
    }

    /** The file alone: header, manifest, every block checksum and decompression, the trailer, the signature. */
    VerifiedSnapshot verifyFile(Path file) throws Failure {
        if (!Files.exists(file)) {
            throw new Failure("no such file");
        }
        if (!Files.isRegularFile(file)) {
            throw new Failure("not a file; give a snapshot-<id>.stasis file of the snapshot directory");
        }
        try {
            return reader.check(file);
        } catch (IOException | RuntimeException e) {
            throw new Failure(e.getMessage());
        }
    }

    /** Everything else, against the program's classes in {@code classPath}; {@code manifest} from {@link #verifyFile}. */
    Verified verify(Path file, Manifest manifest, IsolatedClassPath classPath) throws Failure {
        try {
            FingerprintCheck.verify(manifest, classPath.loader());
        } catch (RestoreException e) {
            throw new Failure(e.getMessage() + " (class path: " + classPath + ")");
        }
        SnapshotContent content;
        try {
            content = reader.content(file, classPath.loader());
        } catch (IOException | RuntimeException e) {
            throw new Failure(e.getMessage());
        }
        if (content.threads().stream().filter(ThreadCapture::main).count() > 1) {
            throw new Failure("it holds more than one main thread");
        }
        for (ClassStatics statics : content.statics()) {
            checkStatics(statics, classPath.loader());
        }
        FrameLayoutResolver layouts = new FrameLayoutResolver(classPath, manifest.fingerprints());
        int frames = 0;
        for (ThreadCapture thread : content.threads()) {
            for (Frame frame : thread.frames()) {
                FrameLayoutResolver.Resolution resolution = layouts.resolve(frame);
                if (!resolution.resolved()) {
                    throw new Failure("thread " + thread.name() + ", frame " + frame + ": " + resolution.problem());
                }
                frames++;
            }
        }
        return new Verified(manifest, content.threads().size(), frames, content.statics().size(), classPath.toString());
    }

    /** What writing the statics back would find wrong, without writing them. */
    private static void checkStatics(ClassStatics statics, ClassLoader loader) throws Failure {
        Class<?> type;
        try {
            type = Class.forName(statics.className(), false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new Failure("the static fields of " + statics.className() + " cannot be restored: " + e.getMessage());
        }
        for (int i = 0; i < statics.fieldNames().size(); i++) {
            String name = statics.fieldNames().get(i);
            Object value = statics.values().get(i);
            Field field;
            try {
                field = type.getDeclaredField(name);
            } catch (NoSuchFieldException e) {
                field = null;
            } catch (LinkageError e) {
                throw new Failure("the static fields of " + statics.className() + " cannot be restored: " + e);
            }
            if (field == null || !Modifier.isStatic(field.getModifiers())) {
                throw new Failure("class " + statics.className() + " has no static field '" + name
                        + "' that the snapshot recorded");
            }
            Class<?> fieldType = field.getType();
            boolean fits = fieldType.isPrimitive()
                    ? MethodType.methodType(fieldType).wrap().returnType().isInstance(value)
                    : value == null || fieldType.isInstance(value);
            if (!fits) {
                throw new Failure("static field " + statics.className() + "." + name + " of type " + fieldType.getName()
                        + " cannot hold the snapshot's " + (value == null ? "null" : value.getClass().getName()));
            }
        }
    }
}
