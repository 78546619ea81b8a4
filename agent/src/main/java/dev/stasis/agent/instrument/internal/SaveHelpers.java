package dev.stasis.agent.instrument.internal;

import dev.stasis.agent.instrument.internal.PointState.Kind;
import dev.stasis.agent.instrument.internal.PointState.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Synthetic static methods of one class that build a point's {@code dev.stasis.rt.Frame} from its
 * values passed as arguments, so that the save code inside an instrumented method shrinks to
 * loading the live locals and one call (the operand stack is passed as it is). Inline, a save costs
 * about 8 bytes of bytecode per value; with a helper, 1 or 2. That matters because HotSpot
 * inlines by bytecode size and never compiles a method above 8000 bytes, and an instrumented method
 * carries one save per point. Points with the same layout (kinds, array indices, counts) share one
 * helper.
 */
public final class SaveHelpers {
    private static final String PREFIX = "$stasis$save$";
    /** Argument slots a method may take (JVMS 4.3.3), less the key and the point number. */
    private static final int MAX_VALUE_SLOTS = 255 - 2;

    private final String owner;
    private final boolean ownerIsInterface;
    private final Map<String, MethodNode> helpers = new LinkedHashMap<>();

    private SaveHelpers(String owner, boolean ownerIsInterface) {
        this.owner = owner;
        this.ownerIsInterface = ownerIsInterface;
    }

    /**
     * Helpers for {@code owner}, or null when it cannot take them: an interface older than Java 8
     * cannot have static methods.
     */
    public static SaveHelpers forClass(String owner, int access, int version) {
        boolean isInterface = (access & Opcodes.ACC_INTERFACE) != 0;
        if (isInterface && (version & 0xFFFF) < Opcodes.V1_8) {
            return null;
        }
        return new SaveHelpers(owner, isInterface);
    }

    /** The helpers created so far, to add to the class once every method is rewritten. */
    public List<MethodNode> methods() {
        return new ArrayList<>(helpers.values());
    }

    /**
     * The save of {@code state} through a helper: with the point's operand stack on the stack, push
     * the live locals, the key and the point, call the helper, store the frame into
     * {@code frameLocal}. Null when the values take more argument slots than a method may have.
     */
    InsnList save(PointState state, String key, int point, int frameLocal) {
        List<Value> arguments = new ArrayList<>(state.stack());
        state.locals().stream().filter(value -> value.kind() != Kind.NULL).forEach(arguments::add);
        int slots = arguments.stream().mapToInt(value -> parameterType(value).getSize()).sum();
        if (slots > MAX_VALUE_SLOTS) {
            return null;
        }
        MethodNode helper = helperFor(state, arguments);
        InsnList code = new InsnList();
        for (Value value : state.locals()) {
            if (value.kind() != Kind.NULL) {
                code.add(new VarInsnNode(value.type().getOpcode(Opcodes.ILOAD), value.position()));
            }
        }
        code.add(new org.objectweb.asm.tree.LdcInsnNode(key));
        code.add(FrameCodeGenerator.pushInt(point));
        code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, owner, helper.name, helper.desc, ownerIsInterface));
        code.add(new VarInsnNode(Opcodes.ASTORE, frameLocal));
        return code;
    }

    private MethodNode helperFor(PointState state, List<Value> arguments) {
        StringBuilder layout = new StringBuilder();
        for (Kind kind : FrameCodeGenerator.ARRAY_KINDS) {
            layout.append(state.count(kind)).append(',');
        }
        StringBuilder descriptor = new StringBuilder("(");
        for (Value value : arguments) {
            layout.append(value.kind().name().charAt(0)).append(value.index()).append(';');
            descriptor.append(parameterType(value).getDescriptor());
        }
        descriptor.append("Ljava/lang/String;I)").append(FrameCodeGenerator.FRAME_DESC);
        return helpers.computeIfAbsent(layout.toString(),
                unused -> generate(PREFIX + helpers.size(), descriptor.toString(), state, arguments));
    }

    /** {@code new Frame(key, point, counts...)}, then each argument into its array at its index. */
    private MethodNode generate(String name, String descriptor, PointState state, List<Value> arguments) {
        MethodNode helper = new MethodNode(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC,
                name, descriptor, null, null);
        int keySlot = arguments.stream().mapToInt(value -> parameterType(value).getSize()).sum();
        InsnList code = helper.instructions;
        code.add(new TypeInsnNode(Opcodes.NEW, FrameCodeGenerator.FRAME));
        code.add(new InsnNode(Opcodes.DUP));
        code.add(new VarInsnNode(Opcodes.ALOAD, keySlot));
        code.add(new VarInsnNode(Opcodes.ILOAD, keySlot + 1));
        for (Kind kind : FrameCodeGenerator.ARRAY_KINDS) {
            code.add(FrameCodeGenerator.pushInt(state.count(kind)));
        }
        code.add(new MethodInsnNode(Opcodes.INVOKESPECIAL, FrameCodeGenerator.FRAME, "<init>",
                "(Ljava/lang/String;IIIIII)V", false));
        int slot = 0;
        for (Value value : arguments) {
            Type type = parameterType(value);
            if (value.kind() != Kind.NULL) {
                code.add(new InsnNode(Opcodes.DUP));
                code.add(new FieldInsnNode(Opcodes.GETFIELD, FrameCodeGenerator.FRAME, value.kind().field,
                        value.kind().descriptor));
                code.add(FrameCodeGenerator.pushInt(value.index()));
                code.add(new VarInsnNode(type.getOpcode(Opcodes.ILOAD), slot));
                code.add(new InsnNode(value.kind().element.getOpcode(Opcodes.IASTORE)));
            }
            slot += type.getSize();
        }
        code.add(new InsnNode(Opcodes.ARETURN));
        helper.maxLocals = keySlot + 2;
        helper.maxStack = 8;
        return helper;
    }

    /** Ints of every width as int, references (and the null constant) as Object. */
    private static Type parameterType(Value value) {
        return value.kind() == Kind.NULL ? Kind.REFS.element : value.kind().element;
    }
}
