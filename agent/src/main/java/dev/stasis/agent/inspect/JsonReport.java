package dev.stasis.agent.inspect;

import dev.stasis.runtime.internal.snapshot.Manifest;
import dev.stasis.runtime.internal.snapshot.VerifiedSnapshot;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code inspect --json}: the same content as the text report, for tools. Every value is an object
 * with its {@code kind} ({@link ValueSummary.Kind}, lower case) and the fields that kind has;
 * primitive values are JSON numbers or booleans, except {@code char} (a one-character string),
 * and {@code long}, written as a string when a double could not hold it exactly.
 */
final class JsonReport {
    private JsonReport() {
    }

    static String render(Inspection inspection) {
        JsonWriter json = new JsonWriter().beginObject();
        json.name("file").value(inspection.file().toString());
        VerifiedSnapshot snapshot = inspection.snapshot();
        json.name("fileBytes").value(snapshot.fileBytes());
        json.name("blocks").value(snapshot.blocks());
        json.name("compressedBlocks").value(snapshot.compressedBlocks());
        json.name("payloadBytes").value(snapshot.payloadBytes());
        json.name("signed").value(snapshot.signed());
        json.name("authenticated").value(snapshot.authenticated());
        strings(json.name("classNames"), snapshot.classNames());
        json.name("classPath").value(inspection.classPath());
        manifest(json, inspection.manifest());
        json.name("error").value(inspection.problem());
        json.name("threads").beginArray();
        for (Inspection.ThreadView thread : inspection.threads()) {
            json.beginObject().name("name").value(thread.name()).name("daemon").value(thread.daemon())
                    .name("priority").value(thread.priority()).name("frames").beginArray();
            for (Inspection.FrameView frame : thread.frames()) {
                frame(json, frame);
            }
            json.endArray().endObject();
        }
        json.endArray();
        json.name("statics").beginArray();
        for (Inspection.StaticsView statics : inspection.statics()) {
            json.beginObject().name("class").value(statics.className()).name("fields");
            variables(json, statics.fields());
            json.endObject();
        }
        json.endArray();
        histogram(json, inspection);
        return json.endObject() + System.lineSeparator();
    }

    private static void manifest(JsonWriter json, Manifest manifest) {
        json.name("manifest").beginObject();
        json.name("formatVersion").value(manifest.formatVersion());
        json.name("snapshotId").value(manifest.snapshotId());
        json.name("runId").value(manifest.runId());
        json.name("createdAtMillis").value(manifest.createdAtMillis());
        json.name("createdAt").value(Instant.ofEpochMilli(manifest.createdAtMillis()).toString());
        json.name("agentVersion").value(manifest.agentVersion());
        json.name("javaVersion").value(manifest.javaVersion());
        json.name("mainClass").value(manifest.mainClass());
        strings(json.name("arguments"), manifest.arguments());
        json.name("fingerprints").beginObject();
        for (Map.Entry<String, String> entry : manifest.fingerprints().entrySet()) {
            json.name(entry.getKey()).value(entry.getValue());
        }
        json.endObject();
        strings(json.name("initOrder"), manifest.initOrder());
        strings(json.name("threads"), manifest.threads());
        json.name("systemProperties").beginObject();
        manifest.environment().properties().forEach((name, value) -> json.name(name).value(value));
        json.endObject();
        json.name("environmentSalt").value(manifest.environment().salt());
        json.name("environmentDigests").beginObject();
        manifest.environment().environment().forEach((name, digest) -> json.name(name).value(digest));
        json.endObject();
        json.endObject();
    }

    private static void histogram(JsonWriter json, Inspection inspection) {
        ObjectHistogram.Result histogram = inspection.histogram();
        json.name("histogram");
        if (histogram == null) {
            json.nullValue();
        } else {
            json.beginObject().name("objects").value(histogram.objects()).name("bytes").value(histogram.bytes())
                    .name("classes").beginArray();
            for (ObjectHistogram.Row row : histogram.rows()) {
                json.beginObject().name("class").value(row.className()).name("objects").value(row.objects())
                        .name("bytes").value(row.bytes()).endObject();
            }
            json.endArray().endObject();
        }
        json.name("histogramProblem").value(inspection.histogramProblem());
    }

    private static void strings(JsonWriter json, List<String> values) {
        json.beginArray();
        values.forEach(json::value);
        json.endArray();
    }

    private static void frame(JsonWriter json, Inspection.FrameView frame) {
        json.beginObject();
        json.name("method").value(frame.method());
        json.name("class").value(frame.className());
        json.name("name").value(frame.methodName());
        json.name("descriptor").value(frame.descriptor());
        json.name("sourceFile").value(frame.sourceFile());
        json.name("line").value(frame.line());
        json.name("point").value(frame.point());
        json.name("layoutProblem").value(frame.layoutProblem());
        json.name("locals");
        variables(json, frame.locals());
        json.name("stack");
        variables(json, frame.stack());
        json.endObject();
    }

    private static void variables(JsonWriter json, List<Inspection.Variable> variables) {
        json.beginArray();
        for (Inspection.Variable variable : variables) {
            json.beginObject().name("name").value(variable.name()).name("type").value(variable.type())
                    .name("synthetic").value(variable.synthetic()).name("value");
            value(json, variable.value());
            json.endObject();
        }
        json.endArray();
    }

    private static void value(JsonWriter json, ValueSummary value) {
        json.beginObject().name("kind").value(value.kind().name().toLowerCase(java.util.Locale.ROOT));
        if (value.type() != null) {
            json.name("type").value(value.type());
        }
        if (value.id() != null) {
            json.name("id").value(value.id());
        }
        if (value.text() != null) {
            json.name("value");
            if (value.kind() == ValueSummary.Kind.PRIMITIVE) {
                primitive(json, value.type(), value.text());
            } else {
                json.value(value.text());
            }
        }
        if (value.length() != null) {
            json.name("length").value(value.length());
        }
        if (value.size() != null) {
            json.name("size").value(value.size());
        }
        if (value.kind() == ValueSummary.Kind.ARRAY) {
            json.name("elements").beginArray();
            value.elements().forEach(element -> value(json, element));
            json.endArray();
        }
        json.endObject();
    }

    private static void primitive(JsonWriter json, String type, String text) {
        switch (type) {
            case "boolean" -> json.value(Boolean.parseBoolean(text));
            case "char" -> json.value(text);
            case "long" -> {
                long value = Long.parseLong(text);
                if (Math.abs(value) <= (1L << 53)) {
                    json.value(value);
                } else {
                    json.value(text);
                }
            }
            default -> json.number(text);
        }
    }
}
