package dev.stasis.runtime.internal.snapshot;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads and writes the static fields of a class. */
public final class StaticFields {
    /** The instrumenter's own fields: they describe this run, not the application's state. */
    private static final String STASIS_FIELD_PREFIX = "$stasis$";

    private StaticFields() {
    }

    /** The class's static fields to snapshot (enum constants and {@code $VALUES} excluded). */
    public static ClassStatics capture(Class<?> type) {
        List<String> names = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        for (Field field : savedFields(type).values()) {
            names.add(field.getName());
            values.add(InternalUnsafe.get(field));
        }
        return new ClassStatics(type.getName(), List.copyOf(names), Collections.unmodifiableList(values));
    }

    /**
     * Writes the recorded values back, {@code static final} fields included.
     *
     * @throws IllegalStateException if the class no longer has a recorded field or its type changed
     */
    public static void restore(Class<?> type, ClassStatics statics) {
        if (!type.getName().equals(statics.className())) {
            throw new IllegalArgumentException("statics of " + statics.className() + " cannot be restored into " + type.getName());
        }
        Map<String, Field> fields = savedFields(type);
        for (int i = 0; i < statics.fieldNames().size(); i++) {
            String name = statics.fieldNames().get(i);
            Object value = statics.values().get(i);
            Field field = fields.get(name);
            if (field == null) {
                throw new IllegalStateException("class " + type.getName() + " has no static field '" + name
                        + "' that the snapshot recorded: the class changed since the snapshot was taken");
            }
            checkAssignable(field, value);
            InternalUnsafe.put(field, value);
        }
    }

    private static Map<String, Field> savedFields(Class<?> type) {
        Map<String, Field> fields = new LinkedHashMap<>();
        for (Field field : type.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && !field.isEnumConstant() && !isEnumValuesArray(type, field)
                    && !field.getName().startsWith(STASIS_FIELD_PREFIX)) {
                fields.put(field.getName(), field);
            }
        }
        return fields;
    }

    /** javac's synthetic {@code $VALUES}; other compilers name it differently, so match by shape. */
    private static boolean isEnumValuesArray(Class<?> type, Field field) {
        return type.isEnum() && field.isSynthetic() && field.getType() == type.arrayType();
    }

    private static void checkAssignable(Field field, Object value) {
        Class<?> type = field.getType();
        boolean ok = type.isPrimitive()
                ? value != null && boxOf(type).isInstance(value)
                : value == null || type.isInstance(value);
        if (!ok) {
            throw new IllegalStateException("static field " + field.getDeclaringClass().getName() + "." + field.getName()
                    + " of type " + type.getName() + " cannot hold the snapshot's "
                    + (value == null ? "null" : value.getClass().getName()) + ": the class changed since the snapshot was taken");
        }
    }

    private static Class<?> boxOf(Class<?> primitive) {
        return java.lang.invoke.MethodType.methodType(primitive).wrap().returnType();
    }
}
