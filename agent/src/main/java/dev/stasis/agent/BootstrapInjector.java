package dev.stasis.agent;

import net.bytebuddy.dynamic.loading.ClassInjector;
import org.objectweb.asm.ClassReader;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Puts the {@code dev.stasis.rt} and {@code dev.stasis.rt.crac} classes (what instrumented code and
 * {@code org.crac} call) into the bootstrap loader,
 * so that a class in any loader resolves the same {@code Stasis}; parent-first delegation makes the
 * system loader find the bootstrap copy too. The class files are read as bytes from wherever the
 * agent's loader has them (the agent jar, or a classes directory in a build), never loaded here.
 *
 * <p>They are defined straight into the bootstrap loader with {@code jdk.internal.misc.Unsafe}
 * (reachable once {@link ModuleOpener} has run) rather than by appending a jar to the bootstrap
 * search path, as Byte Buddy's {@code ClassInjector.UsingInstrumentation} does: an appended boot
 * class path makes HotSpot print "Sharing is only supported for boot loader classes because
 * bootstrap classpath has been appended" on every launch and turns off class-data sharing for the
 * application's classes. Byte Buddy's way stays as the fallback should that method ever vanish.
 */
final class BootstrapInjector {
    static final String PACKAGE = "dev/stasis/rt/";
    /** What {@code org.crac} delegates to ({@code org.crac.Core.Compat}); the application's loader must see it too. */
    static final String CRAC_PACKAGE = PACKAGE + "crac/";
    private static final List<String> PACKAGES = List.of(PACKAGE, CRAC_PACKAGE);
    private static final String ANCHOR = PACKAGE + "Stasis.class";

    private BootstrapInjector() {
    }

    /** Call after {@link ModuleOpener#openJavaBase}, which exports {@code jdk.internal.misc} to the agent. */
    static void injectRuntimeApi(Instrumentation inst) throws IOException {
        if (alreadyInBootstrap()) {
            return;
        }
        Map<String, byte[]> classes = supertypesFirst(runtimeApiClasses(BootstrapInjector.class.getClassLoader()));
        try {
            defineWithUnsafe(classes);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            AgentLog.debug(e);
            injectThroughBootSearchPath(inst, classes);
        }
    }

    private static void defineWithUnsafe(Map<String, byte[]> classes) throws ReflectiveOperationException {
        Class<?> unsafeType = Class.forName("jdk.internal.misc.Unsafe");
        Object unsafe = unsafeType.getMethod("getUnsafe").invoke(null);
        Method define = unsafeType.getMethod("defineClass", String.class, byte[].class, int.class, int.class,
                ClassLoader.class, ProtectionDomain.class);
        for (Map.Entry<String, byte[]> c : classes.entrySet()) {
            if (!isInBootstrap(c.getKey())) {
                define.invoke(unsafe, c.getKey(), c.getValue(), 0, c.getValue().length, null, null);
            }
        }
    }

    private static void injectThroughBootSearchPath(Instrumentation inst, Map<String, byte[]> classes) throws IOException {
        Path folder = Files.createTempDirectory("stasis-bootstrap");
        try {
            ClassInjector.UsingInstrumentation.of(folder.toFile(), ClassInjector.UsingInstrumentation.Target.BOOTSTRAP, inst)
                    .injectRaw(classes);
        } finally {
            deleteQuietly(folder);
        }
    }

    /**
     * Defining a class resolves its super class and interfaces at once, through the bootstrap
     * loader, so those must already be there: {@code Engine} before {@code Engine$1}.
     */
    static Map<String, byte[]> supertypesFirst(Map<String, byte[]> classes) {
        Map<String, byte[]> ordered = new LinkedHashMap<>();
        Set<String> visiting = new HashSet<>();
        for (String name : classes.keySet()) {
            addAfterSupertypes(name, classes, ordered, visiting);
        }
        return ordered;
    }

    private static void addAfterSupertypes(String name, Map<String, byte[]> classes, Map<String, byte[]> ordered, Set<String> visiting) {
        if (ordered.containsKey(name) || !classes.containsKey(name) || !visiting.add(name)) {
            return;
        }
        ClassReader reader = new ClassReader(classes.get(name));
        List<String> supertypes = new ArrayList<>(List.of(reader.getInterfaces()));
        if (reader.getSuperName() != null) {
            supertypes.add(reader.getSuperName());
        }
        for (String supertype : supertypes) {
            addAfterSupertypes(supertype.replace('/', '.'), classes, ordered, visiting);
        }
        ordered.put(name, classes.get(name));
    }

    /** The module the injected classes are in: the bootstrap loader's unnamed module. */
    static Module runtimeApiModule() throws ClassNotFoundException {
        return Class.forName(PACKAGE.replace('/', '.') + "Stasis", false, null).getModule();
    }

    /** A second attach into the same JVM must not inject a second copy. */
    static boolean alreadyInBootstrap() {
        return isInBootstrap(PACKAGE.replace('/', '.') + "Stasis");
    }

    private static boolean isInBootstrap(String binaryName) {
        try {
            Class.forName(binaryName, false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** Binary class name to class file of every class directly in {@code dev/stasis/rt/} or {@code dev/stasis/rt/crac/}. */
    static Map<String, byte[]> runtimeApiClasses(ClassLoader loader) throws IOException {
        URL anchor = loader.getResource(ANCHOR);
        if (anchor == null) {
            throw new IOException(ANCHOR + " is not on the agent's class path; the agent jar is incomplete, rebuild it");
        }
        Map<String, byte[]> classes = new LinkedHashMap<>();
        if ("jar".equals(anchor.getProtocol())) {
            readFromJar(anchor, classes);
        } else {
            readFromDirectory(anchor, classes);
        }
        return classes;
    }

    private static void readFromJar(URL anchor, Map<String, byte[]> classes) throws IOException {
        URL jarUrl = ((JarURLConnection) anchor.openConnection()).getJarFileURL();
        try (JarFile jar = new JarFile(new File(jarUrl.toURI()), false)) {
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                if (isApiClass(entry.getName())) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        classes.put(binaryName(entry.getName()), in.readAllBytes());
                    }
                }
            }
        } catch (URISyntaxException e) {
            throw new IOException("cannot locate the agent jar from " + anchor, e);
        }
    }

    private static void readFromDirectory(URL anchor, Map<String, byte[]> classes) throws IOException {
        Path dir;
        try {
            dir = Path.of(anchor.toURI()).getParent();
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IOException("cannot read the runtime API classes from " + anchor, e);
        }
        for (String pkg : PACKAGES) {
            Path folder = dir.resolve(pkg.substring(PACKAGE.length()));
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try (Stream<Path> files = Files.list(folder)) {
                for (Path file : (Iterable<Path>) files.sorted()::iterator) {
                    String name = pkg + file.getFileName();
                    if (isApiClass(name)) {
                        classes.put(binaryName(name), Files.readAllBytes(file));
                    }
                }
            }
        }
    }

    private static boolean isApiClass(String entryName) {
        if (!entryName.endsWith(".class")) {
            return false;
        }
        for (String pkg : PACKAGES) {
            if (entryName.startsWith(pkg) && entryName.indexOf('/', pkg.length()) < 0) {
                return true;
            }
        }
        return false;
    }

    private static String binaryName(String entryName) {
        return entryName.substring(0, entryName.length() - ".class".length()).replace('/', '.');
    }

    private static void deleteQuietly(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            files.forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // A leftover temp file is harmless; the injection itself succeeded or reported its own error.
        }
        folder.toFile().delete();
    }
}
