package dev.stasis.agent.instrument.internal;

import java.lang.invoke.LambdaMetafactory;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Links every lambda and method reference through {@code altMetafactory} with
 * {@code FLAG_SERIALIZABLE}, so a lambda object held by a captured frame or a static field can be
 * written into a snapshot (the runtime rebuilds it from its {@code SerializedLambda}).
 */
public final class LambdaPass {
    private static final String FACTORY = "java/lang/invoke/LambdaMetafactory";
    private static final Handle ALT_METAFACTORY = new Handle(Opcodes.H_INVOKESTATIC, FACTORY, "altMetafactory",
            "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;"
                    + "[Ljava/lang/Object;)Ljava/lang/invoke/CallSite;", false);

    private LambdaPass() {
    }

    public static void makeLambdasSerializable(MethodNode method) {
        for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn instanceof InvokeDynamicInsnNode indy && FACTORY.equals(indy.bsm.getOwner())
                    && "metafactory".equals(indy.bsm.getName()) && indy.bsmArgs.length == 3) {
                indy.bsm = ALT_METAFACTORY;
                indy.bsmArgs = new Object[] {indy.bsmArgs[0], indy.bsmArgs[1], indy.bsmArgs[2],
                    LambdaMetafactory.FLAG_SERIALIZABLE};
            }
        }
    }
}
