package dev.stasis.agent.inspect;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Just enough JSON for {@code inspect --json}: objects, arrays, strings, numbers, booleans and null,
 * indented by two spaces. Strings are escaped so that the output is valid JSON and plain ASCII
 * whatever the snapshot holds (control characters, quotes, unpaired surrogates). Non-finite
 * numbers, which JSON cannot write, are written as strings.
 */
final class JsonWriter {
    private final StringBuilder out = new StringBuilder();
    /** Per open container: whether it has an element yet. */
    private final Deque<boolean[]> open = new ArrayDeque<>();
    private boolean afterName;

    JsonWriter beginObject() {
        return open('{');
    }

    JsonWriter endObject() {
        return close('}');
    }

    JsonWriter beginArray() {
        return open('[');
    }

    JsonWriter endArray() {
        return close(']');
    }

    JsonWriter name(String name) {
        separate();
        quote(name);
        out.append(": ");
        afterName = true;
        return this;
    }

    JsonWriter value(String value) {
        separate();
        if (value == null) {
            out.append("null");
        } else {
            quote(value);
        }
        return this;
    }

    JsonWriter value(long value) {
        separate();
        out.append(value);
        return this;
    }

    JsonWriter value(boolean value) {
        separate();
        out.append(value);
        return this;
    }

    /** A number from its Java text ({@code 2.5}, {@code 1e-9}); NaN and infinities become strings. */
    JsonWriter number(String javaText) {
        if (javaText.equals("NaN") || javaText.endsWith("Infinity")) {
            return value(javaText);
        }
        separate();
        out.append(javaText);
        return this;
    }

    JsonWriter nullValue() {
        return value((String) null);
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private JsonWriter open(char bracket) {
        separate();
        out.append(bracket);
        open.push(new boolean[1]);
        return this;
    }

    private JsonWriter close(char bracket) {
        boolean[] state = open.pop();
        if (state[0]) {
            newline();
        }
        out.append(bracket);
        return this;
    }

    /** Before a value or a name: a comma after an earlier element, and the indentation. */
    private void separate() {
        if (afterName) {
            afterName = false;
            return;
        }
        if (open.isEmpty()) {
            return;
        }
        boolean[] state = open.peek();
        if (state[0]) {
            out.append(',');
        }
        state[0] = true;
        newline();
    }

    private void newline() {
        out.append('\n');
        out.append("  ".repeat(open.size()));
    }

    private void quote(String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c > 0x7E) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
