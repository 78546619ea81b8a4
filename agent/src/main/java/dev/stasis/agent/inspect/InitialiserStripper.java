package dev.stasis.agent.inspect;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Rewrites a class of the program so that initialising it runs none of the program's code: its
 * static initialiser is removed (statics keep their default values, compile-time constants their
 * constant). Enums cannot do without theirs, because the constants are created there and reading a
 * snapshot looks them up: an enum gets an initialiser that only creates each constant with its
 * name and ordinal (through an added constructor that calls nothing but {@code Enum(String, int)})
 * and fills the {@code values()} array; constructor arguments, constant fields and every other
 * effect of the original initialiser are left out. The bytes are used to read snapshots only,
 * never to run the program.
 */
final class InitialiserStripper {
    private static final String ENUM = "java/lang/Enum";
    private static final String CLINIT = "<clinit>";
    private static final String INIT = "<init>";

    private InitialiserStripper() {
    }

    /**
     * @param superIsEnum tells whether a class (internal name) is an enum: the super class of an enum
     *                    constant with a body is, and the body's class needs the added constructor
     */
    static byte[] strip(byte[] classBytes, Function<String, Boolean> superIsEnum) {
        ClassNode type = new ClassNode();
        new ClassReader(classBytes).accept(type, 0);
        MethodNode original = type.methods.stream().filter(m -> CLINIT.equals(m.name)).findFirst().orElse(null);
        type.methods.removeIf(m -> CLINIT.equals(m.name));
        if (ENUM.equals(type.superName)) {
            String marker = markerConstructor(type, "java/lang/Enum", false);
            type.methods.add(constantsOnlyInitialiser(type, original, marker));
        } else if (type.superName != null && Boolean.TRUE.equals(superIsEnum.apply(type.superName))) {
            markerConstructor(type, type.superName, true);
        }
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        type.accept(writer);
        return writer.toByteArray();
    }

    /** The descriptor shared by an enum's and its constant bodies' added constructors. */
    static String markerDescriptor() {
        return "(Ljava/lang/String;ILjava/lang/Void;)V";
    }

    /**
     * Adds {@code <init>(String name, int ordinal, Void marker)} calling the super class's: the
     * {@code Enum(String, int)} constructor for an enum, the enum's marker constructor for a body.
     */
    private static String markerConstructor(ClassNode type, String superName, boolean passMarker) {
        String descriptor = markerDescriptor();
        if (type.methods.stream().anyMatch(m -> INIT.equals(m.name) && descriptor.equals(m.desc))) {
            throw new IllegalStateException("enum " + type.name + " already has a constructor " + descriptor
                    + "; it cannot be read without running its initialiser");
        }
        MethodNode constructor = new MethodNode(Opcodes.ACC_SYNTHETIC, INIT, descriptor, null, null);
        InsnList code = constructor.instructions;
        code.add(new VarInsnNode(Opcodes.ALOAD, 0));
        code.add(new VarInsnNode(Opcodes.ALOAD, 1));
        code.add(new VarInsnNode(Opcodes.ILOAD, 2));
        if (passMarker) {
            code.add(new VarInsnNode(Opcodes.ALOAD, 3));
        }
        code.add(new MethodInsnNode(Opcodes.INVOKESPECIAL, superName, INIT,
                passMarker ? descriptor : "(Ljava/lang/String;I)V", false));
        code.add(new InsnNode(Opcodes.RETURN));
        type.methods.add(constructor);
        return descriptor;
    }

    private static MethodNode constantsOnlyInitialiser(ClassNode type, MethodNode original, String marker) {
        MethodNode clinit = new MethodNode(Opcodes.ACC_STATIC, CLINIT, "()V", null, null);
        InsnList code = clinit.instructions;
        Map<String, String> classOfConstant = constantClasses(type, original);
        List<FieldNode> constants = new ArrayList<>();
        for (FieldNode field : type.fields) {
            if ((field.access & Opcodes.ACC_ENUM) != 0) {
                constants.add(field);
            }
        }
        for (int ordinal = 0; ordinal < constants.size(); ordinal++) {
            FieldNode field = constants.get(ordinal);
            String constantClass = classOfConstant.getOrDefault(field.name, type.name);
            code.add(new TypeInsnNode(Opcodes.NEW, constantClass));
            code.add(new InsnNode(Opcodes.DUP));
            code.add(new LdcInsnNode(field.name));
            code.add(new LdcInsnNode(ordinal));
            code.add(new InsnNode(Opcodes.ACONST_NULL));
            code.add(new MethodInsnNode(Opcodes.INVOKESPECIAL, constantClass, INIT, marker, false));
            code.add(new FieldInsnNode(Opcodes.PUTSTATIC, type.name, field.name, field.desc));
        }
        FieldNode values = valuesArray(type);
        if (values != null) {
            code.add(new LdcInsnNode(constants.size()));
            code.add(new TypeInsnNode(Opcodes.ANEWARRAY, type.name));
            for (int ordinal = 0; ordinal < constants.size(); ordinal++) {
                FieldNode field = constants.get(ordinal);
                code.add(new InsnNode(Opcodes.DUP));
                code.add(new LdcInsnNode(ordinal));
                code.add(new FieldInsnNode(Opcodes.GETSTATIC, type.name, field.name, field.desc));
                code.add(new InsnNode(Opcodes.AASTORE));
            }
            code.add(new FieldInsnNode(Opcodes.PUTSTATIC, type.name, values.name, values.desc));
        }
        code.add(new InsnNode(Opcodes.RETURN));
        return clinit;
    }

    /**
     * Which class each constant is an instance of: the enum itself, or the class of the constant's
     * body. In the original initialiser, the constructor call right before a constant's
     * {@code putstatic} is the one that created it.
     */
    private static Map<String, String> constantClasses(ClassNode type, MethodNode original) {
        Map<String, String> classes = new HashMap<>();
        if (original == null) {
            return classes;
        }
        String lastConstructed = null;
        for (AbstractInsnNode insn = original.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn instanceof MethodInsnNode call && call.getOpcode() == Opcodes.INVOKESPECIAL && INIT.equals(call.name)) {
                lastConstructed = call.owner;
            } else if (insn instanceof FieldInsnNode put && put.getOpcode() == Opcodes.PUTSTATIC
                    && put.owner.equals(type.name) && lastConstructed != null) {
                classes.putIfAbsent(put.name, lastConstructed);
                lastConstructed = null;
            }
        }
        return classes;
    }

    /** javac's {@code $VALUES} (other compilers name it differently): the static synthetic array of the enum. */
    private static FieldNode valuesArray(ClassNode type) {
        String descriptor = Type.getType("[L" + type.name + ";").getDescriptor();
        for (FieldNode field : type.fields) {
            if ((field.access & (Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC)) == (Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC)
                    && descriptor.equals(field.desc)) {
                return field;
            }
        }
        return null;
    }
}
