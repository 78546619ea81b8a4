package dev.stasis.agent.inspect;

import dev.stasis.agent.instrument.FrameLayouts;
import dev.stasis.rt.Frame;
import dev.stasis.runtime.internal.snapshot.ClassStatics;
import dev.stasis.runtime.internal.snapshot.Manifest;
import dev.stasis.runtime.internal.snapshot.SnapshotContent;
import dev.stasis.runtime.internal.snapshot.ThreadCapture;
import dev.stasis.runtime.internal.snapshot.VerifiedSnapshot;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a snapshot for {@code inspect}: the saved objects in an {@link IsolatedClassPath}; what
 * cannot be read is reported in the result, so the manifest is shown even when the program's
 * classes are missing or changed.
 */
final class SnapshotInspector {
    private final SnapshotReader reader;

    SnapshotInspector(SnapshotReader reader) {
        this.reader = reader;
    }

    /** {@code snapshot} as {@link SnapshotVerifier#verifyFile} found it: a damaged file is not inspected. */
    Inspection inspect(Path file, VerifiedSnapshot snapshot, IsolatedClassPath classPath) {
        Manifest manifest = snapshot.manifest();
        SnapshotContent content;
        try {
            content = reader.content(file, classPath.loader());
        } catch (IOException | RuntimeException e) {
            return new Inspection(file, snapshot, classPath.toString(), List.of(), List.of(), null, null,
                    e.getMessage() + " (class path: " + classPath + ")");
        }
        ValueSummarizer values = new ValueSummarizer();
        FrameLayoutResolver layouts = new FrameLayoutResolver(classPath, manifest.fingerprints());
        List<Inspection.ThreadView> threads = new ArrayList<>();
        for (ThreadCapture thread : content.threads()) {
            List<Inspection.FrameView> frames = new ArrayList<>();
            for (int i = thread.frames().size() - 1; i >= 0; i--) {
                frames.add(frame(thread.frames().get(i), layouts.resolve(thread.frames().get(i)), values));
            }
            threads.add(new Inspection.ThreadView(thread.name(), thread.thread().isDaemon(), thread.thread().getPriority(),
                    List.copyOf(frames)));
        }
        List<Inspection.StaticsView> statics = new ArrayList<>();
        for (ClassStatics classStatics : content.statics()) {
            statics.add(statics(classStatics, classPath.loader(), values));
        }
        ObjectHistogram.Result histogram = null;
        String histogramProblem = null;
        try {
            histogram = ObjectHistogram.measure(content, reader, classPath.loader());
        } catch (RuntimeException | LinkageError e) {
            histogramProblem = "cannot measure the objects: " + e;
        }
        return new Inspection(file, snapshot, classPath.toString(), List.copyOf(threads), List.copyOf(statics),
                histogram, histogramProblem, null);
    }

    private static Inspection.FrameView frame(Frame frame, FrameLayoutResolver.Resolution layout, ValueSummarizer values) {
        int paren = frame.method.indexOf('(');
        int dot = paren < 0 ? -1 : frame.method.lastIndexOf('.', paren);
        String owner = dot < 0 ? frame.method : frame.method.substring(0, dot).replace('/', '.');
        String name = dot < 0 ? "" : frame.method.substring(dot + 1, paren);
        String descriptor = paren < 0 ? "" : frame.method.substring(paren);
        List<Inspection.Variable> locals = new ArrayList<>();
        List<Inspection.Variable> stack = new ArrayList<>();
        if (layout.resolved()) {
            layout.point().locals().forEach(value -> locals.add(named(frame, value, values)));
            layout.point().stack().forEach(value -> stack.add(named(frame, value, values)));
        } else {
            raw(frame, values, locals);
        }
        return new Inspection.FrameView(frame.method, owner, name, descriptor, layout.sourceFile(),
                layout.resolved() ? layout.point().line() : -1, frame.point, layout.problem(), List.copyOf(locals),
                List.copyOf(stack));
    }

    private static Inspection.Variable named(Frame frame, FrameLayouts.Value value, ValueSummarizer values) {
        ValueSummary summary = switch (value.array()) {
            case INTS -> ValueSummarizer.ofInt(value.type(), frame.ints[value.index()]);
            case LONGS -> ValueSummarizer.ofLong(frame.longs[value.index()]);
            case FLOATS -> ValueSummarizer.ofFloat(frame.floats[value.index()]);
            case DOUBLES -> ValueSummarizer.ofDouble(frame.doubles[value.index()]);
            case REFS -> values.of(frame.refs[value.index()]);
            case NONE -> ValueSummary.NULL;
        };
        return new Inspection.Variable(value.name(), value.type(), value.synthetic(), summary);
    }

    /** Without a layout the slots can only be shown as the arrays hold them. */
    private static void raw(Frame frame, ValueSummarizer values, List<Inspection.Variable> out) {
        for (int i = 0; i < frame.ints.length; i++) {
            out.add(new Inspection.Variable("ints[" + i + "]", "int", false, ValueSummarizer.ofInt("int", frame.ints[i])));
        }
        for (int i = 0; i < frame.longs.length; i++) {
            out.add(new Inspection.Variable("longs[" + i + "]", "long", false, ValueSummarizer.ofLong(frame.longs[i])));
        }
        for (int i = 0; i < frame.floats.length; i++) {
            out.add(new Inspection.Variable("floats[" + i + "]", "float", false, ValueSummarizer.ofFloat(frame.floats[i])));
        }
        for (int i = 0; i < frame.doubles.length; i++) {
            out.add(new Inspection.Variable("doubles[" + i + "]", "double", false, ValueSummarizer.ofDouble(frame.doubles[i])));
        }
        for (int i = 0; i < frame.refs.length; i++) {
            out.add(new Inspection.Variable("refs[" + i + "]", "java.lang.Object", false, values.of(frame.refs[i])));
        }
    }

    /** Field types come from the class on the class path (loaded, never initialised). */
    private static Inspection.StaticsView statics(ClassStatics statics, ClassLoader loader, ValueSummarizer values) {
        List<Inspection.Variable> fields = new ArrayList<>();
        for (int i = 0; i < statics.fieldNames().size(); i++) {
            String name = statics.fieldNames().get(i);
            Object value = statics.values().get(i);
            Class<?> type = declaredType(statics.className(), name, loader);
            if (type != null && type.isPrimitive() && value != null) {
                fields.add(new Inspection.Variable(name, type.getName(), false,
                        ValueSummary.primitive(type.getName(), String.valueOf(value))));
            } else {
                String typeName = type != null ? type.getTypeName() : value == null ? "java.lang.Object"
                        : ValueSummarizer.typeName(value.getClass());
                fields.add(new Inspection.Variable(name, typeName, false, values.of(value)));
            }
        }
        return new Inspection.StaticsView(statics.className(), List.copyOf(fields));
    }

    private static Class<?> declaredType(String className, String field, ClassLoader loader) {
        try {
            Field declared = Class.forName(className, false, loader).getDeclaredField(field);
            return declared.getType();
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }
}
