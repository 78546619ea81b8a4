package dev.stasis.agent.instrument.internal;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Starts every static initialiser with {@code if (Stasis.initializing(ThisClass.class)) return;}
 * (adding one when absent), so the runtime records the initialisation order and can skip the
 * original initialiser while it restores the static fields from a snapshot.
 */
public final class ClinitPass {
    private ClinitPass() {
    }

    public static void addPrologue(ClassNode type) {
        MethodNode clinit = type.methods.stream().filter(m -> "<clinit>".equals(m.name)).findFirst().orElse(null);
        if (clinit == null) {
            clinit = new MethodNode(Opcodes.ASM9, Opcodes.ACC_STATIC, "<clinit>", "()V", null, null);
            clinit.instructions.add(new InsnNode(Opcodes.RETURN));
            type.methods.add(clinit);
        }
        LabelNode original = new LabelNode();
        InsnList prologue = new InsnList();
        if ((type.version & 0xFFFF) >= Opcodes.V1_5) {
            prologue.add(new LdcInsnNode(Type.getObjectType(type.name)));
        } else {
            // Class constants in ldc need version 49; older classes look themselves up by name.
            prologue.add(new LdcInsnNode(type.name.replace('/', '.')));
            prologue.add(new MethodInsnNode(Opcodes.INVOKESTATIC, "java/lang/Class", "forName",
                    "(Ljava/lang/String;)Ljava/lang/Class;", false));
        }
        prologue.add(FrameCodeGenerator.callStasis("initializing", "(Ljava/lang/Class;)Z"));
        prologue.add(new JumpInsnNode(Opcodes.IFEQ, original));
        prologue.add(new InsnNode(Opcodes.RETURN));
        prologue.add(original);
        clinit.instructions.insert(prologue);
        clinit.maxStack = Math.max(clinit.maxStack, 1);
    }
}
