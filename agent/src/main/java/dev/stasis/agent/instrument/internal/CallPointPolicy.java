package dev.stasis.agent.instrument.internal;

import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;

/**
 * Which invoke instructions may reach instrumented code and so need a call point. Everything that
 * surely stays inside the JDK is left alone: those calls cannot be on a capturable stack anyway,
 * and each call point costs a check on the hot path.
 */
public final class CallPointPolicy {
    /**
     * Never instrumented: the JDK, Stasis's runtime and the CRaC API ({@code org/crac/}, which the
     * transformer leaves alone). (Not all of {@code dev/stasis/}: a call into another Stasis package
     * costs only a needless check, and test targets live there.)
     */
    private static final Set<String> JDK_PREFIXES = Set.of("java/", "javax/", "jdk/", "sun/", "com/sun/",
            "dev/stasis/rt/", "dev/stasis/runtime/", "org/crac/");
    /** Final JDK classes: no application code can override their methods. */
    private static final Set<String> FINAL_JDK_CLASSES = Set.of("java/lang/String", "java/lang/StringBuilder",
            "java/lang/StringBuffer", "java/lang/Integer", "java/lang/Long", "java/lang/Short",
            "java/lang/Byte", "java/lang/Character", "java/lang/Boolean", "java/lang/Float",
            "java/lang/Double", "java/lang/Class");
    /** Bootstraps that only link JDK code (lambdas are reached later through an interface call). */
    private static final Set<String> JDK_BOOTSTRAPS = Set.of("java/lang/invoke/LambdaMetafactory",
            "java/lang/invoke/StringConcatFactory", "java/lang/runtime/ObjectMethods",
            "java/lang/runtime/SwitchBootstraps");

    private CallPointPolicy() {
    }

    public static boolean isCallPoint(AbstractInsnNode insn) {
        switch (insn.getOpcode()) {
            case Opcodes.INVOKEVIRTUAL, Opcodes.INVOKEINTERFACE -> {
                MethodInsnNode call = (MethodInsnNode) insn;
                return !call.owner.startsWith("[") && !FINAL_JDK_CLASSES.contains(call.owner)
                        && !("java/lang/Object".equals(call.owner) && "getClass".equals(call.name));
            }
            case Opcodes.INVOKESTATIC, Opcodes.INVOKESPECIAL -> {
                MethodInsnNode call = (MethodInsnNode) insn;
                return !"<init>".equals(call.name) && isInstrumentable(call.owner);
            }
            case Opcodes.INVOKEDYNAMIC -> {
                return !JDK_BOOTSTRAPS.contains(((InvokeDynamicInsnNode) insn).bsm.getOwner());
            }
            default -> {
                return false;
            }
        }
    }

    /** Whether classes of this internal name can carry instrumented methods. */
    public static boolean isInstrumentable(String owner) {
        if (owner.startsWith("[")) {
            return false;
        }
        for (String prefix : JDK_PREFIXES) {
            if (owner.startsWith(prefix)) {
                return false;
            }
        }
        return true;
    }
}
