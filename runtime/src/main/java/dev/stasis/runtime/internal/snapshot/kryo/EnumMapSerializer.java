package dev.stasis.runtime.internal.snapshot.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.lang.reflect.Field;
import java.util.EnumMap;
import java.util.Map;

/**
 * {@code EnumMap} of any key type, empty ones included (their key type is only in a private
 * field): the key class, then ordinal/value pairs.
 */
@SuppressWarnings({"rawtypes", "unchecked"})
final class EnumMapSerializer extends Serializer<EnumMap> {
    private Field keyTypeField;

    @Override
    public void write(Kryo kryo, Output output, EnumMap map) {
        kryo.writeClass(output, keyType(map));
        output.writeVarInt(map.size(), true);
        for (Object o : map.entrySet()) {
            Map.Entry e = (Map.Entry) o;
            output.writeVarInt(((Enum) e.getKey()).ordinal(), true);
            kryo.writeClassAndObject(output, e.getValue());
        }
    }

    @Override
    public EnumMap read(Kryo kryo, Input input, Class<? extends EnumMap> type) {
        Class enumType = kryo.readClass(input).getType();
        EnumMap map = new EnumMap(enumType);
        kryo.reference(map);
        Object[] constants = enumType.getEnumConstants();
        for (int i = 0, n = input.readVarInt(true); i < n; i++) {
            Enum key = (Enum) constants[input.readVarInt(true)];
            map.put(key, kryo.readClassAndObject(input));
        }
        return map;
    }

    private Class<?> keyType(EnumMap map) {
        if (keyTypeField == null) {
            keyTypeField = JdkFields.field(EnumMap.class, "keyType");
        }
        try {
            return (Class<?>) keyTypeField.get(map);
        } catch (IllegalAccessException e) {
            throw new KryoException("cannot read the key type of an EnumMap", e);
        }
    }
}
