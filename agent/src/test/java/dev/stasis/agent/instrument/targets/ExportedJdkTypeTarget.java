package dev.stasis.agent.instrument.targets;

import java.lang.reflect.Field;
import sun.misc.Unsafe;

/**
 * A receiver whose type lives in a {@code sun.*} package that the JDK does export
 * ({@code sun.misc}, module jdk.unsupported): restored references must keep that exact type, or
 * the invoke on it no longer verifies. JMH's Utils.getOffset has this shape.
 */
public final class ExportedJdkTypeTarget {
    private ExportedJdkTypeTarget() {
    }

    public static String run() throws Exception {
        Unsafe unsafe = unsafe();
        long sum = 0;
        for (int i = 0; i < 3; i++) {
            sum += offset(unsafe, Holder.class, i == 0 ? "a" : "b") > 0 ? 1 : 0;
        }
        return "resolved " + sum;
    }

    static long offset(Unsafe unsafe, Class<?> type, String name) throws Exception {
        Field field = type.getDeclaredField(name);
        return unsafe.objectFieldOffset(field);
    }

    static final class Holder {
        long a;
        long b;
    }

    private static Unsafe unsafe() {
        try {
            Field f = Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            return (Unsafe) f.get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
