package dev.stasis.runtime.internal.lifecycle;

import dev.stasis.rt.crac.Context;
import dev.stasis.rt.crac.Resource;
import dev.stasis.runtime.RestoreException;
import java.lang.ref.Reference;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * The application's resources behind {@code org.crac}'s proxies. {@code org.crac} registers, for each
 * application resource, a proxy whose handler is a weak reference to it; the snapshot holds the
 * application's object (the proxy and its handler are {@code org.crac}'s bookkeeping, made again by
 * registering the object again).
 */
final class OrgCracResources {
    private static final String ORG_CRAC_RESOURCE = "org.crac.Resource";

    private OrgCracResources() {
    }

    /** The application's resource, or {@code registered} itself when it is no {@code org.crac} proxy; null once collected. */
    static Object unwrap(Resource registered) {
        if (Proxy.isProxyClass(registered.getClass())
                && Proxy.getInvocationHandler(registered) instanceof Reference<?> reference) {
            return reference.get();
        }
        return registered;
    }

    /** For messages: the application's class, which the user knows (not the proxy's). */
    static String describe(Resource registered) {
        Object own = unwrap(registered);
        return own == null ? registered.getClass().getName() : own.getClass().getName();
    }

    /** Registers a saved resource as the application did: through {@code org.crac}, unless it was registered here directly. */
    static void register(Object resource, Context context) throws RestoreException {
        if (resource instanceof Resource direct) {
            context.register(direct);
            return;
        }
        Class<?> api = orgCracResourceOf(resource.getClass());
        if (api == null) {
            throw new RestoreException("the snapshot holds " + resource.getClass().getName()
                    + " as an org.crac resource, but it does not implement " + ORG_CRAC_RESOURCE
                    + " now; start fresh with restore=never");
        }
        try {
            ClassLoader loader = api.getClassLoader();
            Object global = Class.forName("org.crac.Core", true, loader).getMethod("getGlobalContext").invoke(null);
            Method register = Class.forName("org.crac.Context", false, loader).getMethod("register", api);
            register.invoke(global, resource);
        } catch (InvocationTargetException e) {
            throw new RestoreException("could not register the org.crac resource " + resource.getClass().getName()
                    + " again: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new RestoreException("could not register the org.crac resource " + resource.getClass().getName()
                    + " again (is the org.crac jar on the class path as when the snapshot was taken?): " + e, e);
        }
    }

    private static Class<?> orgCracResourceOf(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> implemented : c.getInterfaces()) {
                if (implemented.getName().equals(ORG_CRAC_RESOURCE)) {
                    return implemented;
                }
                Class<?> inherited = orgCracResourceOf(implemented);
                if (inherited != null) {
                    return inherited;
                }
            }
        }
        return null;
    }
}
