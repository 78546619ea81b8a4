package dev.stasis.runtime.internal.registry;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the transformer did to each class it saw: the fingerprint of the original bytes, the
 * methods it instrumented and the methods it had to leave alone (with why). The capture consults
 * it to decide whether a stack is capturable; the snapshot records the fingerprints.
 *
 * <p>Method keys are {@code owner.name descriptor} with the owner in internal form
 * ({@code a/B.run(I)V}), the same string the instrumented code passes to {@code Stasis.enter}.
 */
public final class InstrumentedClasses {
    private static final InstrumentedClasses GLOBAL = new InstrumentedClasses();

    private final Map<String, String> fingerprints = new ConcurrentHashMap<>();
    private final Map<String, Integer> instrumentedMethods = new ConcurrentHashMap<>();
    private final Map<String, String> skippedMethods = new ConcurrentHashMap<>();
    private final Map<String, String> failedClasses = new ConcurrentHashMap<>();

    /** The registry of this JVM, filled by the agent's transformer. */
    public static InstrumentedClasses global() {
        return GLOBAL;
    }

    /** Records a class the transformer rewrote (or looked at and found nothing to rewrite). */
    public void recordClass(String internalName, String fingerprint) {
        fingerprints.put(internalName, fingerprint);
    }

    /** Records a method that now carries polls and continuation points. */
    public void recordInstrumented(String methodKey, int points) {
        instrumentedMethods.put(methodKey, points);
    }

    /** Records a method left exactly as it was: a stack passing through it cannot be captured. */
    public void recordSkipped(String methodKey, String reason) {
        skippedMethods.put(methodKey, reason);
    }

    /** Records a class that could not be instrumented at all; it runs as it was. */
    public void recordFailedClass(String internalName, String reason) {
        failedClasses.put(internalName, reason);
    }

    public boolean isInstrumented(String methodKey) {
        return instrumentedMethods.containsKey(methodKey);
    }

    /** Why a method was left alone, or null if it was not recorded as skipped. */
    public String skipReason(String methodKey) {
        return skippedMethods.get(methodKey);
    }

    /** Why a class was left alone, or null. */
    public String failureReason(String internalName) {
        return failedClasses.get(internalName);
    }

    public boolean isKnownClass(String internalName) {
        return fingerprints.containsKey(internalName);
    }

    public String fingerprint(String internalName) {
        return fingerprints.get(internalName);
    }

    /** Internal class name to fingerprint, sorted by name. */
    public Map<String, String> fingerprints() {
        Map<String, String> sorted = new LinkedHashMap<>();
        fingerprints.keySet().stream().sorted().forEach(name -> sorted.put(name, fingerprints.get(name)));
        return Collections.unmodifiableMap(sorted);
    }

    public Map<String, String> failedClasses() {
        return Map.copyOf(failedClasses);
    }

    /** Builds the key used everywhere for a method. */
    public static String key(String ownerInternalName, String name, String descriptor) {
        return ownerInternalName + '.' + name + descriptor;
    }
}
