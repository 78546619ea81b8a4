package dev.stasis.agent.instrument.internal;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;

/**
 * The typed locals and operand stack at one continuation point, and where each value goes in a
 * {@link dev.stasis.rt.Frame}: locals in slot order, then the stack bottom to top, each kind
 * numbered from 0 in its own array. Save and restore use the same instance, so the layouts agree.
 */
public final class PointState {
    /** Which array of {@code dev.stasis.rt.Frame} holds a value; {@code NULL} values are not stored. */
    public enum Kind {
        INTS("ints", "[I", Type.INT_TYPE), LONGS("longs", "[J", Type.LONG_TYPE),
        FLOATS("floats", "[F", Type.FLOAT_TYPE), DOUBLES("doubles", "[D", Type.DOUBLE_TYPE),
        REFS("refs", "[Ljava/lang/Object;", Type.getObjectType("java/lang/Object")), NULL(null, null, null);

        final String field;
        final String descriptor;
        final Type element;

        Kind(String field, String descriptor, Type element) {
            this.field = field;
            this.descriptor = descriptor;
            this.element = element;
        }

        static Kind of(Type type) {
            return switch (type.getSort()) {
                case Type.BOOLEAN, Type.CHAR, Type.BYTE, Type.SHORT, Type.INT -> INTS;
                case Type.LONG -> LONGS;
                case Type.FLOAT -> FLOATS;
                case Type.DOUBLE -> DOUBLES;
                default -> HierarchyVerifier.isNull(type) ? NULL : REFS;
            };
        }
    }

    /** One saved value: a local slot (or a stack position), its type, and its index in its array. */
    public record Value(int position, Type type, Kind kind, int index) {
    }

    private final List<Value> locals = new ArrayList<>();
    private final List<Value> stack = new ArrayList<>();
    private final int[] counts = new int[Kind.values().length];

    private void add(List<Value> target, int position, Type type) {
        Kind kind = Kind.of(type);
        int index = kind == Kind.NULL ? -1 : counts[kind.ordinal()]++;
        target.add(new Value(position, type, kind, index));
    }

    /**
     * The live locals the analyser knows to be defined at a point (undefined (TOP) and dead slots are
     * dropped), and the whole operand stack.
     */
    public static PointState of(Frame<BasicValue> frame, BitSet live) {
        PointState state = new PointState();
        for (int slot = 0; slot < frame.getLocals(); slot++) {
            Type type = frame.getLocal(slot).getType();
            if (type != null && type.getSort() != Type.VOID && live.get(slot)) {
                state.add(state.locals, slot, type);
            }
        }
        for (int i = 0; i < frame.getStackSize(); i++) {
            state.add(state.stack, i, frame.getStack(i).getType());
        }
        return state;
    }

    /** The method's parameters, as declared: the state at the entry point. */
    public static PointState ofEntry(String owner, int access, String descriptor) {
        PointState state = new PointState();
        int slot = 0;
        if ((access & Opcodes.ACC_STATIC) == 0) {
            state.add(state.locals, slot++, Type.getObjectType(owner));
        }
        for (Type argument : Type.getArgumentTypes(descriptor)) {
            state.add(state.locals, slot, argument);
            slot += argument.getSize();
        }
        return state;
    }

    public List<Value> locals() {
        return locals;
    }

    public List<Value> stack() {
        return stack;
    }

    public int count(Kind kind) {
        return counts[kind.ordinal()];
    }
}
