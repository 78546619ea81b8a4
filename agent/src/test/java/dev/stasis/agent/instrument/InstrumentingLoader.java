package dev.stasis.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.util.CheckClassAdapter;

/**
 * Loads the classes of the {@code targets} package instrumented (each verified with
 * {@link CheckClassAdapter}) and delegates everything else to the test class loader.
 */
final class InstrumentingLoader extends ClassLoader {
    static final String TARGETS = "dev.stasis.agent.instrument.targets.";
    /** Targets javac cannot compile for Java 17, written with ASM instead of read from a class file. */
    private static final Map<String, Supplier<byte[]>> GENERATED = Map.of(
            TARGETS + "ClosingTarget", () -> GeneratedClasses.closing((TARGETS + "ClosingTarget").replace('.', '/')));

    private final Instrumenter instrumenter = new Instrumenter(ClassBytesSource.fromLoader(getParentLoader()));
    private final Map<String, Integer> instrumentedMethods = new ConcurrentHashMap<>();
    private final Map<String, String> skippedMethods = new ConcurrentHashMap<>();

    InstrumentingLoader() {
        super(getParentLoader());
    }

    private static ClassLoader getParentLoader() {
        return InstrumentingLoader.class.getClassLoader();
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!name.startsWith(TARGETS)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null) {
                Supplier<byte[]> generated = GENERATED.get(name);
                byte[] original = generated != null ? generated.get() : readClass(getParent(), name);
                InstrumentationResult result = instrumenter.instrument(original);
                assertThat(result.bytes()).as("instrumented bytes of %s", name).isNotNull();
                verify(result.bytes(), getParent());
                instrumentedMethods.putAll(result.instrumentedMethods());
                skippedMethods.putAll(result.skippedMethods());
                loaded = defineClass(name, result.bytes(), 0, result.bytes().length);
            }
            return loaded;
        }
    }

    boolean isInstrumented(String key) {
        return instrumentedMethods.containsKey(key);
    }

    Map<String, String> skippedMethods() {
        return skippedMethods;
    }

    static byte[] readClass(ClassLoader loader, String name) {
        try (InputStream in = loader.getResourceAsStream(name.replace('.', '/') + ".class")) {
            assertThat(in).as("class file of %s", name).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + name, e);
        }
    }

    /** Fails with the verifier's report when the class does not pass {@link CheckClassAdapter}. */
    static void verify(byte[] bytes, ClassLoader hierarchy) {
        StringWriter report = new StringWriter();
        CheckClassAdapter.verify(new ClassReader(bytes), hierarchy, false, new PrintWriter(report));
        assertThat(report.toString()).as("CheckClassAdapter report for %s", new ClassReader(bytes).getClassName())
                .isEmpty();
    }
}
