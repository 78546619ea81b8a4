package dev.stasis.rt.crac;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * The registered resources, in registration order. Held weakly, as {@code jdk.crac}'s global context
 * holds them: {@code org.crac} keeps each proxy alive exactly as long as the application keeps its
 * resource, so a resource the application dropped is not notified (nor saved in a snapshot).
 */
public final class Context {
    private final List<WeakReference<Resource>> registered = new ArrayList<>();

    /** {@code org.crac} looks this method up by name and parameter type. */
    public synchronized void register(Resource resource) {
        registered.add(new WeakReference<>(Objects.requireNonNull(resource, "resource")));
    }

    /** The resources still alive, in registration order. */
    public synchronized List<Resource> registered() {
        List<Resource> alive = new ArrayList<>(registered.size());
        for (Iterator<WeakReference<Resource>> it = registered.iterator(); it.hasNext(); ) {
            Resource resource = it.next().get();
            if (resource == null) {
                it.remove();
            } else {
                alive.add(resource);
            }
        }
        return alive;
    }
}
