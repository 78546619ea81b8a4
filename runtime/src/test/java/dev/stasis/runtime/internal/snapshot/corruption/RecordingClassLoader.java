package dev.stasis.runtime.internal.snapshot.corruption;

import java.util.ArrayList;
import java.util.List;

/**
 * Delegates every class to its parent and remembers which names were asked for. A reader given
 * this loader for a damaged file must ask for none: deserializing resolves classes by name (the
 * snapshots here start with an unregistered {@link SampleNode}), so an empty record shows that no
 * byte of the damaged file reached the deserializer.
 */
final class RecordingClassLoader extends ClassLoader {
    private final List<String> requested = new ArrayList<>();

    RecordingClassLoader(ClassLoader parent) {
        super(parent);
    }

    @Override
    protected synchronized Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        requested.add(name);
        return super.loadClass(name, resolve);
    }

    synchronized List<String> requested() {
        return List.copyOf(requested);
    }
}
