package dev.stasis.rt;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per application class, whether the implementation of a method it inherits is the JDK's: found on the
 * class's super class chain, declared first by a class of the bootstrap loader. Cached per class (a
 * {@link ClassValue}, so classes can still be unloaded) and per method.
 */
final class JdkDeclared extends ClassValue<Map<String, Boolean>> {
    static final JdkDeclared INSTANCE = new JdkDeclared();

    private JdkDeclared() {
    }

    @Override
    protected Map<String, Boolean> computeValue(Class<?> type) {
        return new ConcurrentHashMap<>();
    }

    /** {@code method} is a name and a parameter descriptor, e.g. {@code "poll(JLjava/util/concurrent/TimeUnit;)"}. */
    boolean declaresInJdk(Class<?> type, String method) {
        Map<String, Boolean> known = get(type);
        Boolean jdk = known.get(method);
        if (jdk == null) {
            jdk = resolve(type, method);
            known.put(method, jdk);
        }
        return jdk;
    }

    private static boolean resolve(Class<?> type, String method) {
        try {
            for (Class<?> declaring = type; declaring != null; declaring = declaring.getSuperclass()) {
                for (Method candidate : declaring.getDeclaredMethods()) {
                    if (method.equals(key(candidate))) {
                        return declaring.getClassLoader() == null;
                    }
                }
            }
        } catch (LinkageError | SecurityException unreadable) {
            // A signature names a class that cannot be loaded: keep the original call.
        }
        return false;
    }

    private static String key(Method method) {
        StringBuilder key = new StringBuilder(method.getName()).append('(');
        for (Class<?> parameter : method.getParameterTypes()) {
            key.append(parameter.descriptorString());
        }
        return key.append(')').toString();
    }
}
