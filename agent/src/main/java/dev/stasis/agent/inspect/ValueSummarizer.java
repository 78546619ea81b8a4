package dev.stasis.agent.inspect;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Summarises values without running the program's code: no {@code toString}, {@code size} or
 * {@code hashCode} of the program's classes is called. What is shown comes from the JDK alone:
 * the text of strings, boxed primitives and enum names ({@code Enum.name()} is final), array
 * lengths and elements, and the size of the JDK's own collections whose {@code size()} only reads
 * their state (a wrapper or view could call the program's code, so they show none).
 */
final class ValueSummarizer {
    static final int STRING_CHARS = 80;
    static final int ARRAY_ELEMENTS = 5;

    private static final Set<String> SIZED = Set.of(
            "java.util.ArrayList", "java.util.LinkedList", "java.util.ArrayDeque", "java.util.PriorityQueue",
            "java.util.Vector", "java.util.Stack", "java.util.HashMap", "java.util.LinkedHashMap", "java.util.TreeMap",
            "java.util.HashSet", "java.util.LinkedHashSet", "java.util.TreeSet", "java.util.Hashtable",
            "java.util.IdentityHashMap", "java.util.WeakHashMap", "java.util.EnumMap", "java.util.RegularEnumSet",
            "java.util.JumboEnumSet", "java.util.Arrays$ArrayList", "java.util.ImmutableCollections$List12",
            "java.util.ImmutableCollections$ListN", "java.util.ImmutableCollections$Set12",
            "java.util.ImmutableCollections$SetN", "java.util.ImmutableCollections$Map1",
            "java.util.ImmutableCollections$MapN", "java.util.Collections$EmptyList", "java.util.Collections$EmptySet",
            "java.util.Collections$EmptyMap", "java.util.Collections$SingletonList", "java.util.Collections$SingletonSet",
            "java.util.Collections$SingletonMap", "java.util.concurrent.ConcurrentHashMap",
            "java.util.concurrent.CopyOnWriteArrayList", "java.util.concurrent.CopyOnWriteArraySet",
            "java.util.concurrent.ConcurrentLinkedQueue", "java.util.concurrent.ConcurrentLinkedDeque",
            "java.util.concurrent.ArrayBlockingQueue", "java.util.concurrent.LinkedBlockingQueue",
            "java.util.concurrent.LinkedBlockingDeque");
    private static final Set<Class<?>> BOXES = Set.of(Integer.class, Long.class, Short.class, Byte.class,
            Character.class, Boolean.class, Float.class, Double.class);

    private final Map<Object, Integer> ids = new IdentityHashMap<>();

    /** A reference value; arrays show their first elements, summarised in turn without theirs. */
    ValueSummary of(Object value) {
        return of(value, true);
    }

    /** A value saved in an int slot, shown as its declared type ({@code boolean}, {@code char}, ...). */
    static ValueSummary ofInt(String type, int value) {
        return switch (type) {
            case "boolean" -> ValueSummary.primitive(type, Boolean.toString(value != 0));
            case "char" -> ValueSummary.primitive(type, String.valueOf((char) value));
            case "byte" -> ValueSummary.primitive(type, Byte.toString((byte) value));
            case "short" -> ValueSummary.primitive(type, Short.toString((short) value));
            default -> ValueSummary.primitive("int", Integer.toString(value));
        };
    }

    static ValueSummary ofLong(long value) {
        return ValueSummary.primitive("long", Long.toString(value));
    }

    static ValueSummary ofFloat(float value) {
        return ValueSummary.primitive("float", Float.toString(value));
    }

    static ValueSummary ofDouble(double value) {
        return ValueSummary.primitive("double", Double.toString(value));
    }

    /** The class name shown for a type: hidden classes (lambdas) without their per-run address. */
    static String typeName(Class<?> type) {
        String name = type.getTypeName();
        int address = name.indexOf('/');
        return address < 0 ? name : name.substring(0, address);
    }

    private ValueSummary of(Object value, boolean withElements) {
        if (value == null) {
            return ValueSummary.NULL;
        }
        Class<?> type = value.getClass();
        Integer id = ids.computeIfAbsent(value, v -> ids.size() + 1);
        if (BOXES.contains(type)) {
            return new ValueSummary(ValueSummary.Kind.BOXED, type.getName(), id, String.valueOf(value), null, null, List.of());
        }
        if (value instanceof String string) {
            String shown = string.length() > STRING_CHARS ? string.substring(0, STRING_CHARS) : string;
            return new ValueSummary(ValueSummary.Kind.STRING, type.getName(), id, shown, string.length(), null, List.of());
        }
        if (value instanceof Enum<?> constant) {
            return new ValueSummary(ValueSummary.Kind.ENUM, constant.getDeclaringClass().getName(), id, constant.name(),
                    null, null, List.of());
        }
        if (value instanceof Class<?> named) {
            return new ValueSummary(ValueSummary.Kind.CLASS, type.getName(), id, typeName(named), null, null, List.of());
        }
        if (type.isArray()) {
            return array(value, type, id, withElements);
        }
        if (type.isHidden() || type.getName().contains("$$Lambda")) {
            return new ValueSummary(ValueSummary.Kind.LAMBDA, typeName(type), id, null, null, null, List.of());
        }
        boolean sized = SIZED.contains(type.getName()) && type.getClassLoader() == null;
        if (value instanceof Collection<?> collection) {
            return new ValueSummary(ValueSummary.Kind.COLLECTION, typeName(type), id, null, null,
                    sized ? collection.size() : null, List.of());
        }
        if (value instanceof Map<?, ?> map) {
            return new ValueSummary(ValueSummary.Kind.MAP, typeName(type), id, null, null, sized ? map.size() : null, List.of());
        }
        return new ValueSummary(ValueSummary.Kind.OBJECT, typeName(type), id, null, null, null, List.of());
    }

    private ValueSummary array(Object array, Class<?> type, Integer id, boolean withElements) {
        int length = Array.getLength(array);
        List<ValueSummary> elements = new ArrayList<>();
        if (withElements) {
            Class<?> component = type.getComponentType();
            for (int i = 0; i < Math.min(length, ARRAY_ELEMENTS); i++) {
                Object element = Array.get(array, i);
                elements.add(component.isPrimitive()
                        ? ValueSummary.primitive(component.getName(), String.valueOf(element))
                        : of(element, false));
            }
        }
        return new ValueSummary(ValueSummary.Kind.ARRAY, typeName(type), id, null, length, null, List.copyOf(elements));
    }
}
