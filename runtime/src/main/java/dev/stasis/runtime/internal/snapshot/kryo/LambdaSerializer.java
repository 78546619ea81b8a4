package dev.stasis.runtime.internal.snapshot.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.io.Serializable;
import java.lang.invoke.CallSite;
import java.lang.invoke.LambdaConversionException;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lambda instances (Kryo routes every hidden class here through {@code ClosureSerializer.Closure}).
 * The instrumenter makes application lambdas serializable, so their proxies have a
 * {@code writeReplace()} returning a {@link SerializedLambda}; its fields are written, the captured
 * arguments as part of the graph. The capturing classes have no {@code $deserializeLambda$}, so
 * reading rebuilds the lambda with {@link LambdaMetafactory#altMetafactory} in a lookup with full
 * privileges in the capturing class. Marker interfaces and bridge methods are taken from the proxy class so
 * the rebuilt lambda has the same shape. One factory per call site shape is spun and cached.
 */
final class LambdaSerializer extends Serializer<Object> {
    /** An object type in a method descriptor; scanning left to right, every 'L' outside a name starts one. */
    private static final Pattern OBJECT_TYPE = Pattern.compile("L([^;]+);");
    private final Map<String, MethodHandle> factories = new HashMap<>();

    @Override
    public void write(Kryo kryo, Output output, Object lambda) {
        SerializedLambda form = serializedForm(lambda);
        if (form == null) {
            throw CapturePathException.refuse(lambda, "a lambda or hidden class that is not serializable:"
                    + " its defining class was not instrumented (excluded?), so it cannot be rebuilt");
        }
        output.writeString(form.getCapturingClass());
        output.writeString(form.getFunctionalInterfaceClass());
        output.writeString(form.getFunctionalInterfaceMethodName());
        output.writeString(form.getFunctionalInterfaceMethodSignature());
        output.writeVarInt(form.getImplMethodKind(), true);
        output.writeString(form.getImplClass());
        output.writeString(form.getImplMethodName());
        output.writeString(form.getImplMethodSignature());
        output.writeString(form.getInstantiatedMethodType());
        List<String> markers = markerInterfaces(lambda.getClass(), form);
        output.writeVarInt(markers.size(), true);
        markers.forEach(output::writeString);
        List<String> bridges = bridgeSignatures(lambda.getClass(), form);
        output.writeVarInt(bridges.size(), true);
        bridges.forEach(output::writeString);
        ManifestClassResolver classes = ManifestClassResolver.of(kryo);
        for (String name : new Shape(form.getCapturingClass(), form.getFunctionalInterfaceClass(),
                form.getFunctionalInterfaceMethodName(), form.getFunctionalInterfaceMethodSignature(), form.getImplMethodKind(),
                form.getImplClass(), form.getImplMethodName(), form.getImplMethodSignature(), form.getInstantiatedMethodType(),
                markers, bridges, form.getCapturedArgCount()).classNames()) {
            classes.note(name);
        }
        output.writeVarInt(form.getCapturedArgCount(), true);
        for (int i = 0; i < form.getCapturedArgCount(); i++) {
            kryo.writeClassAndObject(output, form.getCapturedArg(i));
        }
    }

    @Override
    public Object read(Kryo kryo, Input input, Class<?> type) {
        Shape shape = new Shape(input.readString(), input.readString(), input.readString(), input.readString(),
                input.readVarInt(true), input.readString(), input.readString(), input.readString(),
                input.readString(), readStrings(input), readStrings(input), input.readVarInt(true));
        ManifestClassResolver classes = ManifestClassResolver.of(kryo);
        for (String name : shape.classNames()) {
            classes.requireListed(name, "a lambda in the data names class");
        }
        BoundedInput.claim(input, shape.capturedCount, "a lambda's captured values");
        Object[] captured = new Object[shape.capturedCount];
        for (int i = 0; i < captured.length; i++) {
            captured[i] = kryo.readClassAndObject(input);
        }
        MethodHandle factory = factories.get(shape.key());
        try {
            if (factory == null) {
                factory = shape.spinFactory(kryo.getClassLoader());
                factories.put(shape.key(), factory);
            }
            return factory.invokeWithArguments(captured);
        } catch (Throwable e) {
            throw new KryoException("cannot rebuild the lambda " + shape.implClass + "." + shape.implName
                    + shape.implSignature + " captured in " + shape.capturingClass + ": " + e, e);
        }
    }

    /** The lambda's {@code SerializedLambda}, or null if it is not a serializable lambda. */
    static SerializedLambda serializedForm(Object object) {
        Class<?> type = object.getClass();
        if (!(object instanceof Serializable) || !type.isSynthetic() && !type.isHidden()) {
            return null;
        }
        try {
            Method writeReplace = type.getDeclaredMethod("writeReplace");
            writeReplace.setAccessible(true);
            Object form = writeReplace.invoke(object);
            return form instanceof SerializedLambda lambda ? lambda : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static List<String> markerInterfaces(Class<?> proxy, SerializedLambda form) {
        List<String> markers = new ArrayList<>();
        String functional = form.getFunctionalInterfaceClass().replace('/', '.');
        for (Class<?> i : proxy.getInterfaces()) {
            if (!i.getName().equals(functional) && i != Serializable.class) {
                markers.add(i.getName());
            }
        }
        return markers;
    }

    private static List<String> bridgeSignatures(Class<?> proxy, SerializedLambda form) {
        List<String> bridges = new ArrayList<>();
        for (Method m : proxy.getDeclaredMethods()) {
            if (m.getName().equals(form.getFunctionalInterfaceMethodName()) && !Modifier.isStatic(m.getModifiers())) {
                String descriptor = MethodType.methodType(m.getReturnType(), m.getParameterTypes()).toMethodDescriptorString();
                if (!descriptor.equals(form.getFunctionalInterfaceMethodSignature())) {
                    bridges.add(descriptor);
                }
            }
        }
        return bridges;
    }

    /**
     * {@code LambdaMetafactory} insists on a lookup with full privilege access, which
     * {@code privateLookupIn} gives only inside our own module: not for a class of another loader's
     * unnamed module, nor for a JDK class such as {@code Comparator} (whose {@code comparing}
     * returns serializable lambdas). The JDK's trusted lookup, narrowed to the capturing class,
     * has it; java.lang.invoke is opened to the agent at startup.
     */
    static MethodHandles.Lookup fullPrivilegeLookupIn(Class<?> capturing) throws IllegalAccessException {
        MethodHandles.Lookup trusted = TrustedLookup.INSTANCE;
        if (trusted != null) {
            return trusted.in(capturing);
        }
        return MethodHandles.privateLookupIn(capturing, MethodHandles.lookup());
    }

    /** Holder, so the reflective look-up happens once and only when a lambda is read. */
    private static final class TrustedLookup {
        static final MethodHandles.Lookup INSTANCE = find();

        private static MethodHandles.Lookup find() {
            try {
                Field field = MethodHandles.Lookup.class.getDeclaredField("IMPL_LOOKUP");
                field.setAccessible(true);
                return (MethodHandles.Lookup) field.get(null);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }
    }

    private static List<String> readStrings(Input input) {
        int n = input.readVarInt(true);
        BoundedInput.claim(input, n, "a lambda's list of names");
        List<String> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            items.add(input.readString());
        }
        return items;
    }

    /** Everything that identifies a lambda call site, i.e. one {@code altMetafactory} call. */
    private record Shape(String capturingClass, String functionalClass, String functionalName, String functionalSignature,
                         int implKind, String implClass, String implName, String implSignature, String instantiatedType,
                         List<String> markers, List<String> bridges, int capturedCount) {

        /** Every class that rebuilding the lambda resolves, as binary names. */
        List<String> classNames() {
            List<String> names = new ArrayList<>();
            names.add(capturingClass.replace('/', '.'));
            names.add(functionalClass.replace('/', '.'));
            names.add(implClass.replace('/', '.'));
            names.addAll(markers);
            for (String descriptor : descriptors()) {
                Matcher m = OBJECT_TYPE.matcher(descriptor);
                while (m.find()) {
                    names.add(m.group(1).replace('/', '.'));
                }
            }
            return names;
        }

        private List<String> descriptors() {
            List<String> descriptors = new ArrayList<>(List.of(functionalSignature, implSignature, instantiatedType));
            descriptors.addAll(bridges);
            return descriptors;
        }

        String key() {
            return String.join("|", capturingClass, functionalClass, functionalName, functionalSignature,
                    Integer.toString(implKind), implClass, implName, implSignature, instantiatedType,
                    String.join(",", markers), String.join(",", bridges), Integer.toString(capturedCount));
        }

        MethodHandle spinFactory(ClassLoader loader) throws ReflectiveOperationException, LambdaConversionException {
            Class<?> capturing = Class.forName(capturingClass.replace('/', '.'), false, loader);
            ClassLoader definer = capturing.getClassLoader();
            MethodHandles.Lookup lookup = fullPrivilegeLookupIn(capturing);
            Class<?> owner = Class.forName(implClass.replace('/', '.'), false, definer);
            MethodType implType = MethodType.fromMethodDescriptorString(implSignature, definer);
            MethodHandle impl = switch (implKind) {
                case MethodHandleInfo.REF_invokeStatic -> lookup.findStatic(owner, implName, implType);
                case MethodHandleInfo.REF_invokeVirtual, MethodHandleInfo.REF_invokeInterface ->
                        lookup.findVirtual(owner, implName, implType);
                case MethodHandleInfo.REF_invokeSpecial -> lookup.findSpecial(owner, implName, implType, capturing);
                case MethodHandleInfo.REF_newInvokeSpecial -> lookup.findConstructor(owner, implType);
                default -> throw new IllegalArgumentException("unexpected implementation kind " + implKind);
            };
            Class<?> functional = Class.forName(functionalClass.replace('/', '.'), false, definer);
            MethodType factoryType = MethodType.methodType(functional, impl.type().parameterList().subList(0, capturedCount));
            List<Object> args = new ArrayList<>();
            args.add(MethodType.fromMethodDescriptorString(functionalSignature, definer));
            args.add(impl);
            args.add(MethodType.fromMethodDescriptorString(instantiatedType, definer));
            int flags = LambdaMetafactory.FLAG_SERIALIZABLE
                    | (markers.isEmpty() ? 0 : LambdaMetafactory.FLAG_MARKERS)
                    | (bridges.isEmpty() ? 0 : LambdaMetafactory.FLAG_BRIDGES);
            args.add(flags);
            if (!markers.isEmpty()) {
                args.add(markers.size());
                for (String marker : markers) {
                    args.add(Class.forName(marker, false, definer));
                }
            }
            if (!bridges.isEmpty()) {
                args.add(bridges.size());
                for (String bridge : bridges) {
                    args.add(MethodType.fromMethodDescriptorString(bridge, definer));
                }
            }
            CallSite site = LambdaMetafactory.altMetafactory(lookup, functionalName, factoryType, args.toArray());
            return site.getTarget();
        }
    }
}
