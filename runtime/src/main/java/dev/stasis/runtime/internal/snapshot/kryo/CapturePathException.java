package dev.stasis.runtime.internal.snapshot.kryo;

import com.esotericsoftware.kryo.KryoException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Carries an object that cannot be serialized up through the serializers, collecting the
 * objects it passes ({@link SnapshotKryo}) until a root serializer names where the path starts
 * (a static field, a frame slot). Nothing is tracked while writing succeeds: the path exists only
 * while this exception unwinds.
 */
public final class CapturePathException extends KryoException {
    private static final String TRACE_HEADER = "Serialization trace:\n";
    private final transient Object culprit;
    private final String reason;
    /** Objects from the culprit outwards, ending with the root value once {@link #root} was called. */
    private final transient List<Object> chain = new ArrayList<>();
    private String label;
    private boolean rooted;

    CapturePathException(Object culprit, String reason, Throwable cause) {
        super(reason, cause);
        this.culprit = culprit;
        this.reason = reason;
        chain.add(culprit);
    }

    /** Refuses {@code culprit} outright, e.g. a thread. */
    static CapturePathException refuse(Object culprit, String reason) {
        return new CapturePathException(culprit, reason, null);
    }

    /**
     * Adds {@code object}, whose serialization failed with {@code failure}, to the path; turns any
     * other failure into a path exception whose culprit is {@code object}. I/O failures of the
     * stream pass unchanged: they are not about the object.
     */
    static RuntimeException through(RuntimeException failure, Object object) {
        if (failure instanceof CapturePathException path) {
            path.passThrough(object);
            return path;
        }
        if (causedByIo(failure)) {
            return failure;
        }
        Throwable root = rootCause(failure);
        String reason = root == failure ? failure.getMessage() : root.toString();
        Object child = failingFieldValue(failure, object);
        if (child == null) {
            return new CapturePathException(object, reason, failure);
        }
        CapturePathException path = new CapturePathException(child, reason, failure);
        path.passThrough(object);
        return path;
    }

    /**
     * Kryo's field serializer resolves a field value's class and serializer before it writes the
     * value through {@link SnapshotKryo}, so a failure there surfaces at the field's owner; Kryo's
     * trace names the field ({@code "name (owner)"}), which leads to the value that failed.
     */
    private static Object failingFieldValue(RuntimeException failure, Object owner) {
        String message = failure.getMessage();
        int trace = message == null ? -1 : message.indexOf(TRACE_HEADER);
        if (trace < 0 || owner == null) {
            return null;
        }
        String line = message.substring(trace + TRACE_HEADER.length()).lines().findFirst().orElse("");
        int open = line.indexOf(" (");
        if (open < 0 || !line.endsWith(")") || !line.substring(open + 2, line.length() - 1).equals(owner.getClass().getName())) {
            return null;
        }
        return PathDescriber.fieldValue(owner, line.substring(0, open));
    }

    private static Throwable rootCause(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    private void passThrough(Object object) {
        if (!rooted && chain.get(chain.size() - 1) != object) {
            chain.add(object);
        }
    }

    /** Names where the path starts (e.g. {@code static a.B.worker}), or prefixes an outer part. */
    public void root(String where) {
        if (rooted) {
            label = where + ", " + label;
        } else {
            label = where;
            rooted = true;
        }
    }

    /** {@code cannot snapshot <type> at <root> -> <link> -> ... (<reason>)}. */
    public String describe() {
        StringBuilder s = new StringBuilder("cannot snapshot ").append(PathDescriber.typeName(culprit));
        s.append(" at ").append(label == null ? "an unknown root" : label);
        PathDescriber.appendLinks(s, chain);
        if (reason != null) {
            s.append(" (").append(reason).append(')');
        }
        return s.toString();
    }

    private static boolean causedByIo(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof IOException) {
                return true;
            }
        }
        return false;
    }
}
