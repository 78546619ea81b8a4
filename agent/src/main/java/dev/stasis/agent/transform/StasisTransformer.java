package dev.stasis.agent.transform;

import dev.stasis.agent.AgentLog;
import dev.stasis.agent.instrument.InstrumentationResult;
import dev.stasis.runtime.internal.registry.InstrumentedClasses;
import org.objectweb.asm.ClassReader;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.Map;

/**
 * Rewrites application classes as they load and records what it did in the registry the capture
 * consults. A class that fails is left exactly as it was (the JVM would ignore an exception anyway,
 * but silently): the failure is recorded, so a checkpoint through it names the reason, and shown on
 * stderr only with {@code -Dstasis.debug=true}, so a program's output is never polluted.
 */
public final class StasisTransformer implements ClassFileTransformer {
    private final ClassFilter filter;
    private final ClassRewriter rewriter;
    private final InstrumentedClasses registry;
    /** Classes loaded by the instrumenter itself while it works would otherwise re-enter it. */
    private final ThreadLocal<Boolean> busy = new ThreadLocal<>();

    public StasisTransformer(ClassFilter filter, ClassRewriter rewriter, InstrumentedClasses registry) {
        this.filter = filter;
        this.rewriter = rewriter;
        this.registry = registry;
    }

    @Override
    public byte[] transform(ClassLoader loader, String givenName, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        if (classBeingRedefined != null) {
            return null;
        }
        String className = givenName != null ? givenName : nameInside(classfileBuffer);
        if (!filter.accepts(loader, className)) {
            return null;
        }
        if (busy.get() != null) {
            fail(className, "loaded while Stasis was instrumenting another class");
            return null;
        }
        busy.set(Boolean.TRUE);
        try {
            InstrumentationResult result = rewriter.rewrite(loader, classfileBuffer);
            record(className, result);
            return result.bytes();
        } catch (Throwable t) {
            fail(className, String.valueOf(t));
            return null;
        } finally {
            busy.remove();
        }
    }

    /**
     * Hidden classes (lambda proxies) never reach a transformer; a null name here means a loader
     * called {@code defineClass(null, bytes, ...)}, and such a class is as much the program's as
     * any other. Null for bytes the JVM will reject anyway.
     */
    private static String nameInside(byte[] classfile) {
        try {
            return new ClassReader(classfile).getClassName();
        } catch (RuntimeException malformed) {
            return null;
        }
    }

    private void record(String className, InstrumentationResult result) {
        registry.recordClass(className, result.fingerprint());
        for (Map.Entry<String, Integer> m : result.instrumentedMethods().entrySet()) {
            registry.recordInstrumented(m.getKey(), m.getValue());
        }
        for (Map.Entry<String, String> m : result.skippedMethods().entrySet()) {
            registry.recordSkipped(m.getKey(), m.getValue());
        }
    }

    private void fail(String className, String reason) {
        registry.recordFailedClass(className, reason);
        if (AgentLog.debugEnabled()) {
            AgentLog.warn("class " + className.replace('/', '.') + " runs uninstrumented: " + reason);
        }
    }
}
