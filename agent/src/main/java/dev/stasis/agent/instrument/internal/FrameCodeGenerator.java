package dev.stasis.agent.instrument.internal;

import dev.stasis.agent.instrument.internal.PointState.Kind;
import dev.stasis.agent.instrument.internal.PointState.Value;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/** Code fragments for the cold paths: saving a point into a frame, restoring it, calling Stasis. */
public final class FrameCodeGenerator {
    static final String STASIS = "dev/stasis/rt/Stasis";
    static final String FRAME = "dev/stasis/rt/Frame";
    static final String FRAME_DESC = "L" + FRAME + ";";
    /** The typed arrays of a frame, in the order of its constructor's counts. */
    static final Kind[] ARRAY_KINDS = {Kind.INTS, Kind.LONGS, Kind.FLOATS, Kind.DOUBLES, Kind.REFS};
    /** Locals a restore block may use to hold the frame's arrays, one per kind, after the frame's own. */
    static final int ARRAY_LOCALS = ARRAY_KINDS.length;

    private FrameCodeGenerator() {
    }

    /**
     * {@code invokestatic Stasis.isPending()Z; ifne slow}: the whole hot path, which the JIT folds
     * away while no checkpoint runs (see {@code dev.stasis.rt.PendingSwitch}).
     */
    public static InsnList pendingCheck(LabelNode slow) {
        InsnList code = new InsnList();
        code.add(callStasis("isPending", "()Z"));
        code.add(new JumpInsnNode(Opcodes.IFNE, slow));
        return code;
    }

    public static MethodInsnNode callStasis(String name, String descriptor) {
        return new MethodInsnNode(Opcodes.INVOKESTATIC, STASIS, name, descriptor, false);
    }

    /**
     * Spills the operand stack, stores every value of {@code state} into a new frame in
     * {@code frameLocal}, then jumps to {@code unwind}.
     */
    public static InsnList save(PointState state, String key, int point, int frameLocal, int spillBase,
                                LabelNode unwind) {
        InsnList code = new InsnList();
        int[] spillSlots = spillSlots(state, spillBase);
        for (int i = state.stack().size() - 1; i >= 0; i--) {
            Value value = state.stack().get(i);
            if (value.kind() == Kind.NULL) {
                code.add(new InsnNode(Opcodes.POP));
            } else {
                code.add(new VarInsnNode(value.type().getOpcode(Opcodes.ISTORE), spillSlots[i]));
            }
        }
        code.add(new TypeInsnNode(Opcodes.NEW, FRAME));
        code.add(new InsnNode(Opcodes.DUP));
        code.add(new LdcInsnNode(key));
        code.add(pushInt(point));
        for (Kind kind : ARRAY_KINDS) {
            code.add(pushInt(state.count(kind)));
        }
        code.add(new MethodInsnNode(Opcodes.INVOKESPECIAL, FRAME, "<init>", "(Ljava/lang/String;IIIIII)V", false));
        code.add(new VarInsnNode(Opcodes.ASTORE, frameLocal));
        for (Value value : state.locals()) {
            storeIntoFrame(code, value, value.position(), frameLocal);
        }
        for (Value value : state.stack()) {
            storeIntoFrame(code, value, spillSlots[value.position()], frameLocal);
        }
        code.add(new JumpInsnNode(Opcodes.GOTO, unwind));
        return code;
    }

    /**
     * Reloads the locals and pushes the stack of {@code state} from the frame, then jumps to
     * {@code resume}. References are cast to their analysed type, or to its nearest super class
     * that {@code castable} says the method's class may name. An array the point reads more than once
     * is first kept in a local from {@code arrayBase} (one per kind), which saves 3 bytes a value.
     */
    public static InsnList restore(PointState state, int frameLocal, int arrayBase, LabelNode resume,
                                   UnaryOperator<Type> castable) {
        return restore(state, frameLocal, arrayBase, resume, castable, -1);
    }

    /** {@link #restore}, leaving local {@code keep} as it is (-1: none). */
    public static InsnList restore(PointState state, int frameLocal, int arrayBase, LabelNode resume,
                                   UnaryOperator<Type> castable, int keep) {
        InsnList code = new InsnList();
        int[] arrayLocals = new int[Kind.values().length];
        for (int k = 0; k < ARRAY_KINDS.length; k++) {
            Kind kind = ARRAY_KINDS[k];
            arrayLocals[kind.ordinal()] = -1;
            if (state.count(kind) >= 2) {
                arrayLocals[kind.ordinal()] = arrayBase + k;
                code.add(new VarInsnNode(Opcodes.ALOAD, frameLocal));
                code.add(new FieldInsnNode(Opcodes.GETFIELD, FRAME, kind.field, kind.descriptor));
                code.add(new VarInsnNode(Opcodes.ASTORE, arrayBase + k));
            }
        }
        for (Value value : state.locals()) {
            if (value.position() != keep) {
                loadFromFrame(code, value, frameLocal, arrayLocals, castable);
                code.add(new VarInsnNode(value.type().getOpcode(Opcodes.ISTORE), value.position()));
            }
        }
        for (Value value : state.stack()) {
            loadFromFrame(code, value, frameLocal, arrayLocals, castable);
        }
        code.add(new JumpInsnNode(Opcodes.GOTO, resume));
        return code;
    }

    /** Reloads the one local {@code value} from the frame. */
    public static InsnList restoreLocal(Value value, int frameLocal, UnaryOperator<Type> castable) {
        InsnList code = new InsnList();
        int[] noArrayLocals = new int[Kind.values().length];
        Arrays.fill(noArrayLocals, -1);
        loadFromFrame(code, value, frameLocal, noArrayLocals, castable);
        code.add(new VarInsnNode(value.type().getOpcode(Opcodes.ISTORE), value.position()));
        return code;
    }

    /**
     * Pushes the operand stack of {@code state} back from the frame: what a bottom frame that carries
     * on in place after its snapshot needs (its locals were never lost).
     */
    public static InsnList pushStack(PointState state, int frameLocal, UnaryOperator<Type> castable) {
        InsnList code = new InsnList();
        int[] noArrayLocals = new int[Kind.values().length];
        Arrays.fill(noArrayLocals, -1);
        for (Value value : state.stack()) {
            loadFromFrame(code, value, frameLocal, noArrayLocals, castable);
        }
        return code;
    }

    private static int[] spillSlots(PointState state, int spillBase) {
        int[] slots = new int[state.stack().size()];
        int next = spillBase;
        for (Value value : state.stack()) {
            slots[value.position()] = next;
            next += value.kind() == Kind.NULL ? 0 : value.type().getSize();
        }
        return slots;
    }

    private static void storeIntoFrame(InsnList code, Value value, int slot, int frameLocal) {
        if (value.kind() == Kind.NULL) {
            return;
        }
        code.add(new VarInsnNode(Opcodes.ALOAD, frameLocal));
        code.add(new FieldInsnNode(Opcodes.GETFIELD, FRAME, value.kind().field, value.kind().descriptor));
        code.add(pushInt(value.index()));
        code.add(new VarInsnNode(value.type().getOpcode(Opcodes.ILOAD), slot));
        code.add(new InsnNode(value.kind().element.getOpcode(Opcodes.IASTORE)));
    }

    private static void loadFromFrame(InsnList code, Value value, int frameLocal, int[] arrayLocals,
                                      UnaryOperator<Type> castable) {
        if (value.kind() == Kind.NULL) {
            code.add(new InsnNode(Opcodes.ACONST_NULL));
            return;
        }
        int arrayLocal = arrayLocals[value.kind().ordinal()];
        if (arrayLocal >= 0) {
            code.add(new VarInsnNode(Opcodes.ALOAD, arrayLocal));
        } else {
            code.add(new VarInsnNode(Opcodes.ALOAD, frameLocal));
            code.add(new FieldInsnNode(Opcodes.GETFIELD, FRAME, value.kind().field, value.kind().descriptor));
        }
        code.add(pushInt(value.index()));
        code.add(new InsnNode(value.kind().element.getOpcode(Opcodes.IALOAD)));
        Type cast = value.kind() == Kind.REFS ? castable.apply(value.type()) : null;
        if (cast != null && !"java/lang/Object".equals(cast.getInternalName())) {
            code.add(new TypeInsnNode(Opcodes.CHECKCAST, cast.getSort() == Type.ARRAY
                    ? cast.getDescriptor() : cast.getInternalName()));
        }
    }

    /** The value an unwinding method returns to its (also unwinding) caller, which drops it. */
    public static InsnList dummyReturn(Type returnType) {
        InsnList code = new InsnList();
        switch (returnType.getSort()) {
            case Type.VOID -> { }
            case Type.LONG -> code.add(new InsnNode(Opcodes.LCONST_0));
            case Type.FLOAT -> code.add(new InsnNode(Opcodes.FCONST_0));
            case Type.DOUBLE -> code.add(new InsnNode(Opcodes.DCONST_0));
            case Type.OBJECT, Type.ARRAY -> code.add(new InsnNode(Opcodes.ACONST_NULL));
            default -> code.add(new InsnNode(Opcodes.ICONST_0));
        }
        code.add(new InsnNode(returnType.getOpcode(Opcodes.IRETURN)));
        return code;
    }

    /** {@code new IllegalStateException(message); athrow}. */
    public static InsnList fail(String message) {
        InsnList code = new InsnList();
        code.add(new TypeInsnNode(Opcodes.NEW, "java/lang/IllegalStateException"));
        code.add(new InsnNode(Opcodes.DUP));
        code.add(new LdcInsnNode(message));
        code.add(new MethodInsnNode(Opcodes.INVOKESPECIAL, "java/lang/IllegalStateException", "<init>",
                "(Ljava/lang/String;)V", false));
        code.add(new InsnNode(Opcodes.ATHROW));
        return code;
    }

    public static org.objectweb.asm.tree.AbstractInsnNode pushInt(int value) {
        if (value >= -1 && value <= 5) {
            return new InsnNode(Opcodes.ICONST_0 + value);
        }
        if (value >= Byte.MIN_VALUE && value <= Byte.MAX_VALUE) {
            return new IntInsnNode(Opcodes.BIPUSH, value);
        }
        if (value >= Short.MIN_VALUE && value <= Short.MAX_VALUE) {
            return new IntInsnNode(Opcodes.SIPUSH, value);
        }
        return new LdcInsnNode(value);
    }
}
