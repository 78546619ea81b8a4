package dev.stasis.runtime.internal.snapshot.kryo;

import com.esotericsoftware.kryo.KryoException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * Private fields of JDK classes that some serializers read. Looked up when first needed, so a JVM
 * where a package is not opened fails only for snapshots that hold such an object, and with a
 * message that says what to open.
 */
final class JdkFields {
    private JdkFields() {
    }

    static Field field(Class<?> owner, String name) {
        try {
            Field f = owner.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new KryoException(owner.getName() + "." + name + " is not accessible: the agent opens "
                    + owner.getPackageName() + " to Stasis at startup; without the agent pass --add-opens java.base/"
                    + owner.getPackageName() + "=ALL-UNNAMED", e);
        }
    }

    /** A JDK class that is not public, by its binary name. */
    static Class<?> jdkClass(String name) {
        Class<?> found = optionalJdkClass(name);
        if (found == null) {
            throw new IllegalStateException("this JDK has no " + name);
        }
        return found;
    }

    /** A JDK class that only some JDKs have (JDK 21+), or null. */
    static Class<?> optionalJdkClass(String name) {
        try {
            return Class.forName(name, false, null);
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    static Method method(Class<?> owner, String name) {
        try {
            Method m = owner.getDeclaredMethod(name);
            m.setAccessible(true);
            return m;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new KryoException(owner.getName() + "." + name + "() is not accessible: the agent opens "
                    + owner.getPackageName() + " to Stasis at startup; without the agent pass --add-opens java.base/"
                    + owner.getPackageName() + "=ALL-UNNAMED", e);
        }
    }

    /** The value of {@code field} (made accessible) in {@code owner}. */
    static Object read(Field field, Object owner) {
        try {
            return field.get(owner);
        } catch (IllegalAccessException e) {
            throw new KryoException("cannot read " + field, e);
        }
    }

    /** Sets {@code field} (made accessible) in {@code owner}. */
    static void write(Field field, Object owner, Object value) {
        try {
            field.set(owner, value);
        } catch (IllegalAccessException e) {
            throw new KryoException("cannot set " + field, e);
        }
    }
}
