package dev.stasis.rt;

import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * The JDK's private fields and methods the wait helpers read ({@code ConditionLocks}, {@code BarrierCalls}),
 * made accessible once at class initialisation. A member that is missing or closed on this JDK is
 * {@code null}: each helper then refuses, or falls back, where it would have used it.
 */
final class PrivateMembers {
    private PrivateMembers() {
    }

    static Field field(Class<?> owner, String name) {
        try {
            Field field = owner.getDeclaredField(name);
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    static Method method(Class<?> owner, String name) {
        try {
            Method method = owner.getDeclaredMethod(name);
            method.setAccessible(true);
            return method;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
