package dev.stasis.runtime.internal.snapshot;

import java.util.List;

/**
 * The static fields of one initialised instrumented class, by name.
 * {@code values.get(i)} belongs to {@code fieldNames.get(i)}; primitives are boxed here, which is
 * fine because statics are few.
 */
public record ClassStatics(String className, List<String> fieldNames, List<Object> values) {
}
