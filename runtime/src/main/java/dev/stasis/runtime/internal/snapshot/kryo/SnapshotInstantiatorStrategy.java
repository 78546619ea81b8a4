package dev.stasis.runtime.internal.snapshot.kryo;

import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import java.util.Collection;
import java.util.Map;
import org.objenesis.instantiator.ObjectInstantiator;
import org.objenesis.strategy.InstantiatorStrategy;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * How restored objects are created. Application objects are allocated without running any
 * constructor (objenesis): a constructor's side effects (counting instances, registering
 * listeners, opening files) must not run again on restore. JDK classes and collections use their
 * no-arg constructor when they have one, because their serializers fill them through
 * {@code add}/{@code put}, which needs the state a constructor sets up (a {@code HashMap} built
 * without one has load factor 0); objenesis is their fallback.
 */
final class SnapshotInstantiatorStrategy implements InstantiatorStrategy {
    private final InstantiatorStrategy withConstructor = new DefaultInstantiatorStrategy(new StdInstantiatorStrategy());
    private final InstantiatorStrategy withoutConstructor = new StdInstantiatorStrategy();

    @Override
    public <T> ObjectInstantiator<T> newInstantiatorOf(Class<T> type) {
        return needsConstructor(type) ? withConstructor.newInstantiatorOf(type) : withoutConstructor.newInstantiatorOf(type);
    }

    private static boolean needsConstructor(Class<?> type) {
        ClassLoader loader = type.getClassLoader();
        return loader == null || loader == ClassLoader.getPlatformClassLoader()
                || Collection.class.isAssignableFrom(type) || Map.class.isAssignableFrom(type);
    }
}
