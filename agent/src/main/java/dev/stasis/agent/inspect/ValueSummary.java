package dev.stasis.agent.inspect;

import java.util.List;

/**
 * What inspection shows of one value: never the object itself, and nothing computed by the
 * program's own code.
 *
 * @param kind     what the other fields mean
 * @param type     the Java type name: the primitive's, the object's class (hidden classes without
 *                 their address suffix)
 * @param id       for objects, a number unique within one inspection, so the same object is
 *                 recognisable wherever it appears; null for primitives and null
 * @param text     the value of a primitive, boxed primitive, string (possibly truncated) or enum
 *                 constant (its name); null otherwise
 * @param length   a string's or an array's length
 * @param size     a collection's or map's size, when the JDK's own code can tell it (null otherwise)
 * @param elements an array's first elements
 */
record ValueSummary(Kind kind, String type, Integer id, String text, Integer length, Integer size,
                    List<ValueSummary> elements) {
    enum Kind { NULL, PRIMITIVE, BOXED, STRING, ENUM, ARRAY, COLLECTION, MAP, CLASS, LAMBDA, OBJECT }

    static final ValueSummary NULL = new ValueSummary(Kind.NULL, null, null, null, null, null, List.of());

    static ValueSummary primitive(String type, String text) {
        return new ValueSummary(Kind.PRIMITIVE, type, null, text, null, null, List.of());
    }
}
