package dev.stasis.agent.inspect;

import java.util.stream.Collectors;

/** A {@link ValueSummary} as one line of text, in Java's notation where it has one. */
final class ValueText {
    private ValueText() {
    }

    static String of(ValueSummary value) {
        return switch (value.kind()) {
            case NULL -> "null";
            case PRIMITIVE -> "char".equals(value.type()) ? quote(value.text(), '\'') : value.text();
            case BOXED -> "(" + simpleName(value.type()) + ") "
                    + ("java.lang.Character".equals(value.type()) ? quote(value.text(), '\'') : value.text());
            case STRING -> quote(value.text(), '"') + (value.length() > value.text().length()
                    ? "... (" + value.length() + " chars)" : "");
            case ENUM -> value.type() + "." + value.text();
            case ARRAY -> array(value);
            case COLLECTION, MAP -> value.type() + "#" + value.id() + (value.size() == null ? "" : " (size " + value.size() + ")");
            case CLASS -> "class " + value.text();
            case LAMBDA -> "lambda " + value.type() + "#" + value.id();
            case OBJECT -> value.type() + "#" + value.id();
        };
    }

    /** {@code int[3]#4 {1, 2, 3}}: the length goes into the first pair of brackets, as in {@code new int[3][]}. */
    private static String array(ValueSummary value) {
        int brackets = value.type().indexOf("[]");
        String type = value.type().substring(0, brackets) + "[" + value.length() + "]" + value.type().substring(brackets + 2);
        String elements = value.elements().stream().map(ValueText::of).collect(Collectors.joining(", "));
        String more = value.length() > value.elements().size() ? (elements.isEmpty() ? "..." : ", ...") : "";
        return type + "#" + value.id() + " {" + elements + more + "}";
    }

    private static String simpleName(String type) {
        return type.substring(type.lastIndexOf('.') + 1);
    }

    /** Java literal escapes for the characters that would break the line or the quotes. */
    static String quote(String text, char quote) {
        StringBuilder out = new StringBuilder().append(quote);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c == quote) {
                        out.append('\\').append(c);
                    } else if (c < 0x20 || c == 0x7F) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append(quote).toString();
    }
}
