package dev.stasis.agent.inspect;

import dev.stasis.agent.instrument.ClassBytesSource;
import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;

/**
 * The program's class path, for reading a snapshot without running the program. Its classes are
 * defined in a class loader of their own (thrown away with this object; its parent is the platform
 * loader, so nothing of Stasis or of this JVM's class path is visible to them) from their class
 * files with the static initialisers removed ({@link InitialiserStripper}).
 *
 * <p>Why not simply load them without initialising: reading the graph allocates the program's
 * objects, and allocating an instance initialises its class, so any static initialiser of a class
 * with an instance in the snapshot would run (print, open files, start threads...). A resume skips
 * these initialisers as well (their statics come from the snapshot), so what a read sees here is
 * what a resume sees. What does run of the program, here as in a resume: the constructors of its
 * collection and map classes and of records, and the {@code hashCode}/{@code equals}/{@code
 * compareTo} of keys of hash and tree collections, all on the snapshot's objects in this loader.
 */
final class IsolatedClassPath implements Closeable {
    private final String description;
    private final URLClassLoader files;
    private final Loader loader;

    private IsolatedClassPath(String description, URL[] urls) {
        this.description = description;
        this.files = new URLClassLoader(urls, null);
        this.loader = new Loader(files);
    }

    /**
     * @param classPath entries separated by {@link File#pathSeparator}, as in {@code -cp}
     * @throws IllegalArgumentException naming the first entry that does not exist
     */
    static IsolatedClassPath of(String classPath) {
        List<URL> urls = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            Path path = Path.of(entry);
            if (!Files.exists(path)) {
                throw new IllegalArgumentException("class path entry " + entry + " does not exist");
            }
            try {
                urls.add(path.toAbsolutePath().toUri().toURL());
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException("class path entry " + entry + " is not a usable path: " + e.getMessage(), e);
            }
        }
        return new IsolatedClassPath(classPath, urls.toArray(URL[]::new));
    }

    /** Resolves the program's classes; initialising one runs none of the program's code (enums: see {@link InitialiserStripper}). */
    ClassLoader loader() {
        return loader;
    }

    /** The class files of the program and of the JDK, for fingerprints and type analysis. */
    ClassBytesSource classBytes() {
        return ClassBytesSource.fromLoader(loader);
    }

    /** The class file of {@code internalName} as it is on the class path, or null. */
    byte[] bytesOf(String internalName) {
        return classBytes().bytesOf(internalName);
    }

    @Override
    public String toString() {
        return description;
    }

    @Override
    public void close() throws IOException {
        files.close();
    }

    /** Parent-first to the JDK; the program's classes are defined here, rewritten. */
    private static final class Loader extends ClassLoader {
        static {
            registerAsParallelCapable();
        }

        private final URLClassLoader files;

        Loader(URLClassLoader files) {
            super("stasis-inspect", ClassLoader.getPlatformClassLoader());
            this.files = files;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] original = read(name.replace('.', '/'));
            if (original == null) {
                throw new ClassNotFoundException(name + " is not on the class path");
            }
            byte[] stripped;
            try {
                stripped = InitialiserStripper.strip(original, this::isEnum);
            } catch (RuntimeException e) {
                // Not ClassNotFoundException: Kryo would then look in the CLI's own class path.
                ClassFormatError error = new ClassFormatError("the class file of " + name + " on the class path cannot be read: "
                        + e.getMessage());
                error.initCause(e);
                throw error;
            }
            return defineClass(name, stripped, 0, stripped.length);
        }

        private boolean isEnum(String internalName) {
            byte[] bytes = read(internalName);
            if (bytes == null) {
                return false;
            }
            ClassReader reader = new ClassReader(bytes);
            return (reader.getAccess() & Opcodes.ACC_ENUM) != 0 && "java/lang/Enum".equals(reader.getSuperName());
        }

        private byte[] read(String internalName) {
            try (InputStream in = files.getResourceAsStream(internalName + ".class")) {
                return in == null ? null : in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read class " + internalName + " from the class path", e);
            }
        }

        @Override
        protected URL findResource(String name) {
            return files.findResource(name);
        }

        @Override
        protected Enumeration<URL> findResources(String name) throws IOException {
            return files.findResources(name);
        }
    }
}
