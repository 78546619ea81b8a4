package dev.stasis.rt;

/**
 * One captured activation of an instrumented method: which method, at which continuation point,
 * and the live values of its locals and operand stack, split by type so nothing is boxed.
 *
 * <p>The instrumenter decides the slot layout of each continuation point (locals first, then the
 * operand stack below the call, bottom to top) and uses the same layout when it saves and when it
 * restores; the runtime never interprets the arrays, it only keeps them and serializes them.
 * Fields are public because generated code reads and writes them directly.
 */
public final class Frame {
    /** {@code owner.name descriptor} with the owner in internal form, e.g. {@code a/B.run(I)V}. */
    public final String method;
    /** Index of the continuation point inside the method (0 is the entry poll). */
    public final int point;
    public final int[] ints;
    public final long[] longs;
    public final float[] floats;
    public final double[] doubles;
    public final Object[] refs;

    public Frame(String method, int point, int ints, int longs, int floats, int doubles, int refs) {
        this.method = method;
        this.point = point;
        this.ints = new int[ints];
        this.longs = new long[longs];
        this.floats = new float[floats];
        this.doubles = new double[doubles];
        this.refs = new Object[refs];
    }

    @Override
    public String toString() {
        return method + " @" + point;
    }
}
