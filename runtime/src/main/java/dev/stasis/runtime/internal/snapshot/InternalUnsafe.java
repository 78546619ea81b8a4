package dev.stasis.runtime.internal.snapshot;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;

/**
 * Static field access through {@code jdk.internal.misc.Unsafe}, which writes {@code static final}
 * fields too and needs no access to the field's package. Reached through method handles because
 * javac cannot compile against a non-exported package with {@code --release}; the agent exports
 * {@code jdk.internal.misc} to Stasis at runtime (tests: {@code --add-exports}).
 */
final class InternalUnsafe {
    private static final MethodHandle STATIC_FIELD_BASE;
    private static final MethodHandle STATIC_FIELD_OFFSET;
    private static final MethodHandle[] GET = new MethodHandle[Kind.values().length];
    private static final MethodHandle[] PUT = new MethodHandle[Kind.values().length];
    private static final RuntimeException UNAVAILABLE;

    /** The value kinds Unsafe distinguishes, with the accessor name part. */
    private enum Kind {
        BOOLEAN(boolean.class, "Boolean"), BYTE(byte.class, "Byte"), SHORT(short.class, "Short"),
        CHAR(char.class, "Char"), INT(int.class, "Int"), LONG(long.class, "Long"), FLOAT(float.class, "Float"),
        DOUBLE(double.class, "Double"), REFERENCE(Object.class, "Reference");

        final Class<?> type;
        final String accessor;

        Kind(Class<?> type, String accessor) {
            this.type = type;
            this.accessor = accessor;
        }

        static Kind of(Class<?> fieldType) {
            for (Kind k : values()) {
                if (k.type == fieldType) {
                    return k;
                }
            }
            return REFERENCE;
        }
    }

    static {
        MethodHandle base = null;
        MethodHandle offset = null;
        RuntimeException unavailable = null;
        try {
            Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
            Object unsafe = unsafeClass.getMethod("getUnsafe").invoke(null);
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            base = lookup.findVirtual(unsafeClass, "staticFieldBase", MethodType.methodType(Object.class, Field.class))
                    .bindTo(unsafe);
            offset = lookup.findVirtual(unsafeClass, "staticFieldOffset", MethodType.methodType(long.class, Field.class))
                    .bindTo(unsafe);
            for (Kind k : Kind.values()) {
                GET[k.ordinal()] = lookup.findVirtual(unsafeClass, "get" + k.accessor + "Volatile",
                        MethodType.methodType(k.type, Object.class, long.class)).bindTo(unsafe);
                PUT[k.ordinal()] = lookup.findVirtual(unsafeClass, "put" + k.accessor + "Volatile",
                        MethodType.methodType(void.class, Object.class, long.class, k.type)).bindTo(unsafe);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            unavailable = new IllegalStateException("jdk.internal.misc.Unsafe is not accessible to Stasis: the agent"
                    + " exports java.base/jdk.internal.misc to itself at startup; without the agent pass"
                    + " --add-exports java.base/jdk.internal.misc=ALL-UNNAMED", e);
        }
        STATIC_FIELD_BASE = base;
        STATIC_FIELD_OFFSET = offset;
        UNAVAILABLE = unavailable;
    }

    private InternalUnsafe() {
    }

    /** The value of a static field, primitives boxed. */
    static Object get(Field field) {
        check();
        try {
            Object base = STATIC_FIELD_BASE.invoke(field);
            long offset = (long) STATIC_FIELD_OFFSET.invoke(field);
            return GET[Kind.of(field.getType()).ordinal()].invoke(base, offset);
        } catch (Throwable e) {
            throw new IllegalStateException("cannot read static field " + field, e);
        }
    }

    /** Sets a static field, {@code final} or not; {@code value} must already have the field's (boxed) type. */
    static void put(Field field, Object value) {
        check();
        try {
            Object base = STATIC_FIELD_BASE.invoke(field);
            long offset = (long) STATIC_FIELD_OFFSET.invoke(field);
            PUT[Kind.of(field.getType()).ordinal()].invoke(base, offset, value);
        } catch (Throwable e) {
            throw new IllegalStateException("cannot write static field " + field, e);
        }
    }

    private static void check() {
        if (UNAVAILABLE != null) {
            throw UNAVAILABLE;
        }
    }
}
