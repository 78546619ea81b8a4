package dev.stasis.runtime.internal.snapshot.corruption;

import dev.stasis.runtime.internal.snapshot.CapturedThreads;
import dev.stasis.rt.Frame;
import dev.stasis.runtime.Compression;
import dev.stasis.runtime.internal.snapshot.ClassStatics;
import dev.stasis.runtime.internal.snapshot.Manifest;
import dev.stasis.runtime.internal.snapshot.ReadOptions;
import dev.stasis.runtime.internal.snapshot.SnapshotCodec;
import dev.stasis.runtime.internal.snapshot.SnapshotContent;
import dev.stasis.runtime.internal.snapshot.SnapshotKey;
import dev.stasis.runtime.internal.snapshot.ThreadCapture;
import dev.stasis.runtime.internal.snapshot.WriteOptions;
import java.nio.charset.StandardCharsets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The intact snapshots the corruption tests start from: real files written by
 * {@code SnapshotCodec.write}, of sizes chosen so that block edges fall in different places
 * (one small block, a payload one byte short of, exactly at and one byte past the 1 MiB block
 * size, several blocks with a short or a full last one), small files cut into many small blocks,
 * LZ4-compressed ones (mixing compressed and stored blocks) and signed ones, with manifests of
 * different lengths so the data section starts at different offsets. Built once per JVM from
 * fixed seeds.
 */
final class BaseSnapshots {
    /** The block size docs/FORMAT.md documents; only used to aim payload sizes at block edges. */
    private static final int MIB = 1 << 20;
    private static final SnapshotKey KEY = SnapshotKey.of("a test key of 32 bytes, no more.".getBytes(StandardCharsets.US_ASCII),
            "the corruption tests' key");

    private record Spec(String name, int payloadBytes, int fingerprints, WriteOptions options) {
    }

    private static final WriteOptions PLAIN = WriteOptions.defaults();
    private static final List<Spec> SPECS = List.of(
            new Spec("smallest", 0, 0, PLAIN),
            new Spec("4 KiB in 512-byte blocks", 4 << 10, 3, PLAIN.withBlockBytes(512)),
            new Spec("60 KiB in 4 KiB blocks, LZ4", 60 << 10, 40, PLAIN.withBlockBytes(4 << 10).withCompression(Compression.LZ4)),
            new Spec("60 KiB in 16 KiB blocks, signed", 60 << 10, 5, PLAIN.withBlockBytes(16 << 10).withKey(KEY)),
            new Spec("1 MiB - 1", MIB - 1, 0, PLAIN),
            new Spec("1 MiB", MIB, 7, PLAIN),
            new Spec("1 MiB + 1", MIB + 1, 300, PLAIN),
            new Spec("1.5 MiB, LZ4", MIB + MIB / 2 + 777, 1, PLAIN.withCompression(Compression.LZ4)),
            new Spec("2 MiB, signed", 2 * MIB, 25, PLAIN.withKey(KEY)),
            new Spec("2 MiB + 3", 2 * MIB + 3, 0, PLAIN),
            new Spec("3.3 MiB", 3 * MIB + 314_159, 120, PLAIN));

    private static final List<BaseSnapshot> ALL;

    static {
        List<BaseSnapshot> all = new ArrayList<>();
        for (int i = 0; i < SPECS.size(); i++) {
            all.add(build(SPECS.get(i), new Random(1_000 + i)));
        }
        ALL = List.copyOf(all);
    }

    private BaseSnapshots() {
    }

    static List<BaseSnapshot> all() {
        return ALL;
    }

    static List<BaseSnapshot> small() {
        return ALL.stream().filter(b -> b.length() < MIB / 2).toList();
    }

    static List<BaseSnapshot> withSeveralBlocks() {
        return ALL.stream().filter(BaseSnapshot::hasSeveralBlocks).toList();
    }

    static List<BaseSnapshot> unsigned() {
        return ALL.stream().filter(b -> !b.framing().signed()).toList();
    }

    /** Writes the spec's content with a filler sized so the payload lands exactly on the target (when it can). */
    private static BaseSnapshot build(Spec spec, Random random) {
        Manifest manifest = manifest(spec, random);
        long seed = random.nextLong();
        int filler = 0;
        byte[] bytes = write(manifest, content(new Random(seed), filler), spec.options());
        SnapshotFraming framing = SnapshotFraming.parse(bytes);
        // The filler's length prefix is a varint, so a second or third step may be needed.
        for (int step = 0; step < 4 && spec.payloadBytes() > 0 && framing.payloadLength() != spec.payloadBytes(); step++) {
            filler = (int) Math.max(0, filler + spec.payloadBytes() - framing.payloadLength());
            bytes = write(manifest, content(new Random(seed), filler), spec.options());
            framing = SnapshotFraming.parse(bytes);
        }
        ReadOptions read = spec.options().key() == null ? ReadOptions.defaults() : ReadOptions.defaults().withKey(KEY);
        return new BaseSnapshot(spec.name(), bytes, framing, read);
    }

    private static byte[] write(Manifest manifest, SnapshotContent content, WriteOptions options) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            SnapshotCodec.write(out, manifest, content, options);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Manifest manifest(Spec spec, Random random) {
        Map<String, String> fingerprints = new LinkedHashMap<>();
        for (int i = 0; i < spec.fingerprints(); i++) {
            fingerprints.put("com/example/pkg" + (i % 7) + "/Type" + i, Long.toHexString(random.nextLong()));
        }
        return new Manifest(Manifest.FORMAT_VERSION, String.format("%06d", 1 + random.nextInt(999_999)), "run-" + spec.name(),
                1_700_000_000_000L + random.nextInt(1 << 30), "0.1.0", "17.0.15", "com.example.Main",
                List.of("--size", spec.name(), "ünïcödé"), fingerprints, List.copyOf(fingerprints.keySet()),
                List.of("main:" + (1 + random.nextInt(9))));
    }

    /**
     * Statics and one thread: a cyclic tree of {@link SampleNode}s (the first value of all, so a
     * reader that deserializes anything resolves a class by name), strings, maps, an object shared
     * by a static and a frame, and random filler bytes (random, so zeroing a page changes it).
     */
    private static SnapshotContent content(Random random, int fillerBytes) {
        SampleNode root = tree(random, "root", 3);
        // From a generator of its own: the values drawn after it must not depend on its length, or aiming the
        // payload at a size by changing the filler would move the target each time.
        byte[] filler = new byte[fillerBytes];
        new Random(random.nextLong()).nextBytes(filler);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            names.add("name-" + random.nextInt(1000) + "-é");
        }
        root.attributes.put("names", names);
        root.attributes.put("count", random.nextInt());
        SampleNode shared = root.children.get(0);
        List<ClassStatics> statics = List.of(
                new ClassStatics("com/example/Main", List.of("root", "names"), List.of(root, names)),
                new ClassStatics("com/example/Cache", List.of("filler", "shared"), List.of(filler, shared)));
        Frame frame = new Frame("com/example/Main.main([Ljava/lang/String;)V", 3, 2, 1, 1, 1, 2);
        frame.ints[0] = random.nextInt();
        frame.ints[1] = random.nextInt();
        frame.longs[0] = random.nextLong();
        frame.floats[0] = random.nextFloat();
        frame.doubles[0] = random.nextDouble();
        frame.refs[0] = shared;
        frame.refs[1] = "a local";
        return new SnapshotContent(statics, List.of(CapturedThreads.main(List.of(frame))));
    }

    private static SampleNode tree(Random random, String label, int depth) {
        long[] numbers = new long[1 + random.nextInt(8)];
        for (int i = 0; i < numbers.length; i++) {
            numbers[i] = random.nextLong();
        }
        SampleNode node = new SampleNode(label, numbers);
        if (depth > 0) {
            for (int i = 0; i < 3; i++) {
                node.add(tree(random, label + "." + i, depth - 1));
            }
        }
        return node;
    }
}
