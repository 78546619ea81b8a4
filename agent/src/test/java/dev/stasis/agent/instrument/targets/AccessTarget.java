package dev.stasis.agent.instrument.targets;

/**
 * A local whose analysed type is a merge the method cannot name: StringBuilder and StringBuffer
 * merge to the package-private java.lang.AbstractStringBuilder.
 */
public final class AccessTarget {
    private AccessTarget() {
    }

    public static String run() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 2; i++) {
            CharSequence text = i == 0 ? new StringBuilder("builder") : new StringBuffer("buffer");
            out.append(measure(text)).append(text).append(';');
        }
        return out.toString();
    }

    static int measure(CharSequence text) {
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            n += text.charAt(i) % 7;
        }
        return n;
    }
}
