package dev.stasis.runtime.internal.snapshot;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Output;
import dev.stasis.runtime.internal.snapshot.kryo.SnapshotKryoFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Snapshot files around payloads a test has altered: what a forger (or a bug) could produce. The
 * frame, checksums and signature are made properly by the real writer, so a reader can only
 * refuse such a file for what is in its payload or class list.
 */
final class ForgedSnapshots {
    private ForgedSnapshots() {
    }

    /** A serialized object graph and the class list the writer recorded for it. */
    record Payload(byte[] bytes, List<String> classNames) {
        Payload withClassNames(List<String> names) {
            return new Payload(bytes, names);
        }

        /**
         * Renames class {@code from} to {@code to} (same length) in the bytes, wherever Kryo wrote it
         * (ASCII with the last byte's high bit set, or plain), and in the class list.
         */
        Payload renamingClass(String from, String to) {
            byte[] a = from.getBytes(StandardCharsets.US_ASCII);
            byte[] b = to.getBytes(StandardCharsets.US_ASCII);
            if (a.length != b.length) {
                throw new IllegalArgumentException(from + " and " + to + " differ in length");
            }
            byte[] renamed = bytes.clone();
            int found = 0;
            for (int i = 0; i + a.length <= renamed.length; i++) {
                if (Arrays.equals(renamed, i, i + a.length - 1, a, 0, a.length - 1)
                        && (renamed[i + a.length - 1] & 0x7F) == a[a.length - 1]) {
                    System.arraycopy(b, 0, renamed, i, b.length - 1);
                    renamed[i + b.length - 1] = (byte) ((renamed[i + b.length - 1] & 0x80) | b[b.length - 1]);
                    found++;
                }
            }
            if (found == 0) {
                throw new IllegalArgumentException(from + " is not in the payload");
            }
            return new Payload(renamed, classNames.stream().map(n -> n.equals(from) ? to : n).toList());
        }
    }

    static Payload payloadOf(SnapshotContent content) {
        Kryo kryo = SnapshotKryoFactory.create(ForgedSnapshots.class.getClassLoader());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Output output = new Output(bytes, 4096);
        kryo.writeObject(output, content);
        output.flush();
        return new Payload(bytes.toByteArray(), SnapshotKryoFactory.classNames(kryo));
    }

    /**
     * The payload of a frame holding {@code holding.apply(3)}, with the length field of that value
     * (found as the first byte where it differs from {@code holding.apply(4)}'s) made to claim
     * {@code claimed} elements. {@code flagged}: the length is Kryo's varint with a flag bit (strings,
     * collections), else a plain varint (arrays, maps).
     */
    static Payload claimingLength(IntFunction<Object> holding, int claimed, boolean flagged) {
        Payload three = payloadOf(Snapshots.frameHolding(holding.apply(3)));
        byte[] four = payloadOf(Snapshots.frameHolding(holding.apply(4))).bytes();
        int at = 0;
        while (three.bytes()[at] == four[at]) {
            at++;
        }
        Output length = new Output(8);
        if (flagged) {
            length.writeVarIntFlag((three.bytes()[at] & 0x80) != 0, claimed + 1, true);
        } else {
            length.writeVarInt(claimed + 1, true);
        }
        byte[] forged = new byte[three.bytes().length - 1 + length.position()];
        System.arraycopy(three.bytes(), 0, forged, 0, at);
        System.arraycopy(length.getBuffer(), 0, forged, at, length.position());
        System.arraycopy(three.bytes(), at + 1, forged, at + length.position(), three.bytes().length - at - 1);
        return new Payload(forged, three.classNames());
    }

    /** A complete, intact (and, with a key in {@code options}, properly signed) file around {@code payload}. */
    static Path write(Path file, Payload payload, WriteOptions options) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            SnapshotFileWriter.write(out, Snapshots.manifest(), options, blocks -> {
                blocks.write(payload.bytes());
                return payload.classNames();
            });
        }
        return file;
    }
}
