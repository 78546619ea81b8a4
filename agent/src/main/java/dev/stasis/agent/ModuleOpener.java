package dev.stasis.agent;

import java.lang.instrument.Instrumentation;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Gives the agent's module the deep reflection Kryo and the static-field writer need into JDK
 * internals, as {@code --add-opens} would, so the user never has to add JVM flags.
 */
final class ModuleOpener {
    private ModuleOpener() {
    }

    static void openJavaBase(Instrumentation inst, Module to) {
        Module base = Object.class.getModule();
        Map<String, Set<Module>> opens = base.getPackages().stream()
                .collect(Collectors.toMap(Function.identity(), p -> Set.of(to)));
        // Exported as well as opened: code linked against jdk.internal.misc.Unsafe needs the export.
        Map<String, Set<Module>> exports = Map.of("jdk.internal.misc", Set.of(to));
        inst.redefineModule(base, Set.of(), exports, opens, Set.of(), Map.of());
    }

    /**
     * Opens the packages whose private lock state the bootstrap {@code dev.stasis.rt} wait helpers read
     * ({@code ConditionCalls}, {@code BarrierCalls}) to their module, the bootstrap loader's unnamed one.
     */
    static void openLocksTo(Instrumentation inst, Module to) {
        Module base = Object.class.getModule();
        Map<String, Set<Module>> opens = Map.of("java.util.concurrent", Set.of(to),
                "java.util.concurrent.locks", Set.of(to));
        inst.redefineModule(base, Set.of(), Map.of(), opens, Set.of(), Map.of());
    }
}
