package dev.stasis.runtime.internal.snapshot;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The manifest in plain {@link DataOutputStream} encoding: no class is resolved to read it.
 * Strings are {@code [i32 byte length or -1 for null][UTF-8]}, lists and maps a count then items.
 */
final class ManifestCodec {
    private ManifestCodec() {
    }

    static byte[] encode(Manifest m) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(m.formatVersion());
        writeString(out, m.snapshotId());
        writeString(out, m.runId());
        out.writeLong(m.createdAtMillis());
        writeString(out, m.agentVersion());
        writeString(out, m.javaVersion());
        writeString(out, m.mainClass());
        writeList(out, m.arguments());
        writeMap(out, m.fingerprints());
        writeList(out, m.initOrder());
        writeList(out, m.threads());
        writeMap(out, m.environment().properties());
        writeString(out, m.environment().salt());
        writeMap(out, m.environment().environment());
        out.writeLong(m.clockNanos());
        out.flush();
        return bytes.toByteArray();
    }

    /** The names of the classes a snapshot's object graph names, in the manifest's list encoding. */
    static byte[] encodeClassList(List<String> classNames) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
        DataOutputStream out = new DataOutputStream(bytes);
        writeList(out, classNames);
        out.flush();
        return bytes.toByteArray();
    }

    /** @throws IOException with a description of what is malformed (the caller adds file and offset) */
    static List<String> decodeClassList(byte[] encoded) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded));
        try {
            List<String> names = readList(in);
            if (in.available() > 0) {
                throw new IOException(in.available() + " unexpected bytes after the class names");
            }
            for (String name : names) {
                if (name == null || name.isEmpty()) {
                    throw new IOException("an empty class name");
                }
            }
            return names;
        } catch (EOFException e) {
            throw new IOException("the class list ends early", e);
        }
    }

    /** @throws IOException with a description of what is malformed (the caller adds file and offset) */
    static Manifest decode(byte[] encoded) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded));
        try {
            int version = in.readInt();
            String snapshotId = readString(in);
            String runId = readString(in);
            long created = in.readLong();
            String agentVersion = readString(in);
            String javaVersion = readString(in);
            String mainClass = readString(in);
            List<String> arguments = readList(in);
            Map<String, String> fingerprints = readMap(in);
            List<String> initOrder = readList(in);
            List<String> threads = readList(in);
            Map<String, String> properties = withoutNulls(readMap(in), "system properties");
            String salt = readString(in);
            if (salt != null && !salt.matches("([0-9a-f]{2})*")) {
                throw new IOException("the environment salt is not hexadecimal");
            }
            Map<String, String> environment = withoutNulls(readMap(in), "environment");
            long clockNanos = in.readLong();
            if (in.available() > 0) {
                throw new IOException(in.available() + " unexpected bytes after the manifest fields");
            }
            return new Manifest(version, snapshotId, runId, created, agentVersion, javaVersion, mainClass, arguments,
                    fingerprints, initOrder, threads, new RunEnvironment(properties, salt == null ? "" : salt, environment), clockNanos);
        } catch (EOFException e) {
            throw new IOException("manifest fields end early", e);
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static void writeList(DataOutputStream out, List<String> list) throws IOException {
        List<String> items = list == null ? List.of() : list;
        out.writeInt(items.size());
        for (String s : items) {
            writeString(out, s);
        }
    }

    private static void writeMap(DataOutputStream out, Map<String, String> map) throws IOException {
        Map<String, String> entries = map == null ? Map.of() : map;
        out.writeInt(entries.size());
        for (Map.Entry<String, String> e : entries.entrySet()) {
            writeString(out, e.getKey());
            writeString(out, e.getValue());
        }
    }

    private static Map<String, String> readMap(DataInputStream in) throws IOException {
        int count = readCount(in);
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            map.put(readString(in), readString(in));
        }
        return Collections.unmodifiableMap(map);
    }

    /** A writer records no null name or value in the run environment: a null there is damage. */
    private static Map<String, String> withoutNulls(Map<String, String> map, String what) throws IOException {
        for (Map.Entry<String, String> e : map.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IOException("a null name or value in the recorded " + what);
            }
        }
        return map;
    }

    private static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length == -1) {
            return null;
        }
        if (length < 0 || length > in.available()) {
            throw new IOException("string length " + length + " exceeds the manifest");
        }
        byte[] utf8 = in.readNBytes(length);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    private static List<String> readList(DataInputStream in) throws IOException {
        int count = readCount(in);
        List<String> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            items.add(readString(in));
        }
        return Collections.unmodifiableList(items);
    }

    /** Every item takes at least 4 bytes, which bounds a damaged count before anything is allocated. */
    private static int readCount(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > in.available() / 4) {
            throw new IOException("item count " + count + " exceeds the manifest");
        }
        return count;
    }
}
