package dev.stasis.runtime.internal.snapshot.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.MapSerializer;
import java.lang.reflect.Field;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code LinkedHashMap} and subclasses with their access order (an LRU cache stays an LRU cache):
 * the flag, then the entries in iteration order, re-inserted in that order.
 */
final class LinkedHashMapSerializer extends MapSerializer<Map> {
    private Field accessOrder;
    /** Read in {@link #read} and used in {@link #create}, which the superclass calls before any nested read. */
    private boolean pendingAccessOrder;

    @Override
    public void write(Kryo kryo, Output output, Map map) {
        output.writeBoolean(accessOrder(map));
        super.write(kryo, output, map);
    }

    @Override
    public Map read(Kryo kryo, Input input, Class<? extends Map> type) {
        pendingAccessOrder = input.readBoolean();
        return super.read(kryo, input, type);
    }

    @Override
    protected Map create(Kryo kryo, Input input, Class<? extends Map> type, int size) {
        BoundedInput.claim(input, size, "a " + type.getName());
        if (type == LinkedHashMap.class) {
            return new LinkedHashMap<>(Math.max(16, (int) (size / 0.75f) + 1), 0.75f, pendingAccessOrder);
        }
        Map map = super.create(kryo, input, type, size);
        if (pendingAccessOrder) {
            try {
                accessOrderField().setBoolean(map, true);
            } catch (IllegalAccessException e) {
                throw new KryoException("cannot restore the access order of " + type.getName(), e);
            }
        }
        return map;
    }

    private boolean accessOrder(Map map) {
        try {
            return accessOrderField().getBoolean(map);
        } catch (IllegalAccessException e) {
            throw new KryoException("cannot read the access order of " + map.getClass().getName(), e);
        }
    }

    private Field accessOrderField() {
        if (accessOrder == null) {
            accessOrder = JdkFields.field(LinkedHashMap.class, "accessOrder");
        }
        return accessOrder;
    }
}
