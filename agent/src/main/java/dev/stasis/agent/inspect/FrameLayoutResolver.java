package dev.stasis.agent.inspect;

import dev.stasis.agent.instrument.FrameLayouts;
import dev.stasis.rt.Frame;
import dev.stasis.runtime.internal.registry.ClassFingerprint;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The layout of a captured frame's slots, derived from the class file on the class path only when
 * that file is, byte for byte, the one the snapshot recorded: a changed class would give a layout
 * the program never used and label values wrongly.
 */
final class FrameLayoutResolver {
    /** Either the point's layout (and the source file), or why the frame's slots cannot be named. */
    record Resolution(FrameLayouts.Point point, String sourceFile, String problem) {
        boolean resolved() {
            return point != null;
        }
    }

    private final IsolatedClassPath classPath;
    private final Map<String, String> fingerprints;
    private final FrameLayouts layouts;
    private final Map<String, MethodLookup> methods = new HashMap<>();

    /** A method's layout, or why there is none. */
    private record MethodLookup(FrameLayouts.Method layout, String problem) {
    }

    FrameLayoutResolver(IsolatedClassPath classPath, Map<String, String> fingerprints) {
        this.classPath = classPath;
        this.fingerprints = fingerprints;
        this.layouts = new FrameLayouts(classPath.classBytes());
    }

    Resolution resolve(Frame frame) {
        MethodLookup method = methods.computeIfAbsent(frame.method, this::method);
        if (method.problem() != null) {
            return new Resolution(null, null, method.problem());
        }
        FrameLayouts.Method layout = method.layout();
        if (frame.point < 0 || frame.point >= layout.points().size()) {
            return new Resolution(null, layout.sourceFile(), "the code on the class path has no point " + frame.point
                    + " in this method (it has " + layout.points().size() + "): the snapshot was taken by another agent version");
        }
        FrameLayouts.Point point = layout.points().get(frame.point);
        int[] saved = {frame.ints.length, frame.longs.length, frame.floats.length, frame.doubles.length, frame.refs.length};
        FrameLayouts.Slots[] arrays = {FrameLayouts.Slots.INTS, FrameLayouts.Slots.LONGS, FrameLayouts.Slots.FLOATS,
            FrameLayouts.Slots.DOUBLES, FrameLayouts.Slots.REFS};
        for (int i = 0; i < arrays.length; i++) {
            if (saved[i] != point.count(arrays[i])) {
                return new Resolution(null, layout.sourceFile(), "the frame holds " + saved[i] + " "
                        + arrays[i].name().toLowerCase(Locale.ROOT) + " but the code on the class path saves "
                        + point.count(arrays[i]) + " at point " + frame.point
                        + ": the snapshot was taken by another agent version");
            }
        }
        return new Resolution(point, layout.sourceFile(), null);
    }

    private MethodLookup method(String key) {
        int paren = key.indexOf('(');
        int dot = paren < 0 ? -1 : key.lastIndexOf('.', paren);
        if (dot <= 0) {
            return problem("'" + key + "' is not a method key (owner.name descriptor)");
        }
        String owner = key.substring(0, dot);
        String recorded = fingerprints.get(owner);
        byte[] bytes = classPath.bytesOf(owner);
        if (bytes == null) {
            return problem("class " + owner + " is not on the class path");
        }
        if (recorded == null) {
            return problem("class " + owner + " has no fingerprint in the snapshot's manifest");
        }
        if (!recorded.equals(ClassFingerprint.of(bytes))) {
            return problem("class " + owner + " on the class path is not the one the snapshot was taken with");
        }
        try {
            return new MethodLookup(layouts.of(bytes, key), null);
        } catch (IllegalArgumentException e) {
            return problem(e.getMessage());
        }
    }

    private static MethodLookup problem(String problem) {
        return new MethodLookup(null, problem);
    }
}
