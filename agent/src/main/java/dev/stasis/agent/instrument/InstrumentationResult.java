package dev.stasis.agent.instrument;

import java.util.Map;

/**
 * What instrumenting one class produced.
 *
 * @param className           internal name
 * @param bytes               the rewritten class, or null when the class is left as it was
 * @param fingerprint         {@code ClassFingerprint} of the original bytes
 * @param instrumentedMethods method key to number of continuation points
 * @param skippedMethods      method key to why it was left as it was
 */
public record InstrumentationResult(String className, byte[] bytes, String fingerprint,
                                    Map<String, Integer> instrumentedMethods,
                                    Map<String, String> skippedMethods) {
}
