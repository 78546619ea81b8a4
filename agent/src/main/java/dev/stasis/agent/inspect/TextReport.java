package dev.stasis.agent.inspect;

import dev.stasis.runtime.internal.snapshot.Manifest;
import dev.stasis.runtime.internal.snapshot.RunEnvironment;
import dev.stasis.runtime.internal.snapshot.VerifiedSnapshot;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code inspect} for people: the manifest, each thread as a stack trace with every frame's saved
 * values as a debugger shows them ({@code name: type = value}), the static fields, and the classes
 * that take the most room.
 */
final class TextReport {
    private final StringBuilder out = new StringBuilder();
    private final int histogramRows;

    private TextReport(int histogramRows) {
        this.histogramRows = histogramRows;
    }

    /** @param histogramRows how many classes the histogram lists (all when 0 or less) */
    static String render(Inspection inspection, int histogramRows) {
        TextReport report = new TextReport(histogramRows);
        report.manifest(inspection);
        if (inspection.problem() != null) {
            report.line("").line("the saved objects cannot be read: " + inspection.problem());
            return report.out.toString();
        }
        inspection.threads().forEach(report::thread);
        report.statics(inspection.statics());
        report.histogram(inspection);
        return report.out.toString();
    }

    private void manifest(Inspection inspection) {
        Manifest manifest = inspection.manifest();
        VerifiedSnapshot snapshot = inspection.snapshot();
        line("snapshot " + manifest.snapshotId() + "  " + inspection.file() + "  (" + bytes(snapshot.fileBytes()) + ")");
        field("format", Integer.toString(manifest.formatVersion()));
        field("data", Inspector.plural(snapshot.blocks(), "block")
                + (snapshot.compressedBlocks() > 0 ? " (" + snapshot.compressedBlocks() + " LZ4-compressed)" : "")
                + ", " + bytes(snapshot.payloadBytes()) + " of object data, " + Inspector.plural(snapshot.classNames().size(), "class")
                + " named");
        field("signature", Signature.of(snapshot));
        field("run", manifest.runId());
        field("taken", Instant.ofEpochMilli(manifest.createdAtMillis()).toString());
        field("agent", manifest.agentVersion());
        field("java", manifest.javaVersion());
        field("main class", manifest.mainClass());
        field("arguments", manifest.arguments().isEmpty() ? "(none)" : String.join(" ", manifest.arguments()));
        field("threads", String.join(", ", manifest.threads()));
        field("class path", inspection.classPath());
        environment(manifest.environment());
        field("init order", count(manifest.initOrder().size(), "class", "classes"));
        manifest.initOrder().forEach(name -> line("                  " + name));
        field("fingerprints", count(manifest.fingerprints().size(), "class", "classes"));
        for (Map.Entry<String, String> entry : manifest.fingerprints().entrySet()) {
            line("                  " + entry.getValue() + "  " + entry.getKey());
        }
    }

    /** Environment values are recorded only as digests, so only the names are worth showing. */
    private void environment(RunEnvironment environment) {
        for (Map.Entry<String, String> property : environment.properties().entrySet()) {
            field(property.getKey(), property.getValue());
        }
        field("environment", environment.environment().isEmpty() ? "(not recorded)"
                : count(environment.environment().size(), "variable", "variables") + " (names and salted SHA-256 digests only): "
                + String.join(" ", environment.environment().keySet()));
    }

    private void thread(Inspection.ThreadView thread) {
        line("").line("thread \"" + thread.name() + "\"" + (thread.daemon() ? " daemon" : "") + " (priority "
                + thread.priority() + ", " + count(thread.frames().size(), "frame", "frames") + ")");
        for (Inspection.FrameView frame : thread.frames()) {
            String source = frame.sourceFile() == null ? "Unknown Source"
                    : frame.line() < 0 ? frame.sourceFile() : frame.sourceFile() + ":" + frame.line();
            line("  at " + frame.className() + "." + frame.methodName() + "(" + source + ")  point " + frame.point());
            if (frame.layoutProblem() != null) {
                line("      (raw slots: " + frame.layoutProblem() + ")");
            }
            variables(frame.locals());
            variables(frame.stack());
        }
    }

    private void statics(List<Inspection.StaticsView> statics) {
        line("").line("static fields (" + count(statics.size(), "class", "classes") + ")");
        for (Inspection.StaticsView classStatics : statics) {
            line("  " + classStatics.className());
            if (classStatics.fields().isEmpty()) {
                line("      (none)");
            }
            variables(classStatics.fields());
        }
    }

    private void variables(List<Inspection.Variable> variables) {
        for (Inspection.Variable variable : variables) {
            line("      " + variable.name() + ": " + variable.type() + " = " + ValueText.of(variable.value()));
        }
    }

    private void histogram(Inspection inspection) {
        ObjectHistogram.Result histogram = inspection.histogram();
        line("");
        if (histogram == null) {
            line("objects by class: " + inspection.histogramProblem());
            return;
        }
        long payload = inspection.snapshot().payloadBytes();
        line("objects by class: " + String.format(Locale.ROOT, "%,d", histogram.objects()) + " objects, "
                + bytes(histogram.bytes()) + " of object data"
                + (histogram.bytes() == payload ? "" : " as encoded again (the snapshot holds " + bytes(payload) + ")"));
        line(String.format(Locale.ROOT, "  %12s  %9s  %s", "bytes", "objects", "class"));
        List<ObjectHistogram.Row> rows = histogram.rows();
        int shown = histogramRows <= 0 ? rows.size() : Math.min(histogramRows, rows.size());
        for (ObjectHistogram.Row row : rows.subList(0, shown)) {
            line(String.format(Locale.ROOT, "  %,12d  %,9d  %s", row.bytes(), row.objects(), row.className()));
        }
        if (shown < rows.size()) {
            List<ObjectHistogram.Row> rest = rows.subList(shown, rows.size());
            line(String.format(Locale.ROOT, "  %,12d  %,9d  (%d more classes; --top 0 lists all)",
                    rest.stream().mapToLong(ObjectHistogram.Row::bytes).sum(),
                    rest.stream().mapToLong(ObjectHistogram.Row::objects).sum(), rest.size()));
        }
    }

    private void field(String name, String value) {
        line(String.format(Locale.ROOT, "  %-14s  %s", name, value));
    }

    private TextReport line(String text) {
        out.append(text).append(System.lineSeparator());
        return this;
    }

    private static String count(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    private static String bytes(long bytes) {
        return String.format(Locale.ROOT, "%,d bytes", bytes);
    }
}
