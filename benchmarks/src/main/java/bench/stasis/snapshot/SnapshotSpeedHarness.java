package bench.stasis.snapshot;

import bench.stasis.report.MarkdownTable;
import bench.stasis.report.Reports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Write and read rates of Stasis's snapshot codec against plain Kryo and
 * {@code ObjectOutputStream} on the same graph, in the same JVM. Each serializer first runs one
 * unmeasured round trip (class loading, JIT), then {@code bench.rounds} measured ones; the
 * median is reported. Files go through the page cache, never fsync'd: this is the serializer's
 * speed, not the disk's.
 *
 * <p>System properties: {@code bench.nodes} (2000000), {@code bench.rounds} (5),
 * {@code bench.report} (file to append the table to).
 */
public final class SnapshotSpeedHarness {
    private SnapshotSpeedHarness() {
    }

    public static void main(String[] args) throws IOException {
        int nodes = Integer.getInteger("bench.nodes", 2_000_000);
        int rounds = Integer.getInteger("bench.rounds", 5);
        List<GraphCodec> codecs = List.of(new StasisGraphCodec(), new KryoGraphCodec(), new JavaSerializationGraphCodec());
        Path directory = Files.createTempDirectory("stasis-bench-graph-");
        Object graph = SampleGraph.build(nodes);
        long objects = SampleGraph.objectCount(nodes);
        MarkdownTable table = new MarkdownTable("serializer", "bytes", "write ms", "write MB/s", "write M objects/s",
                "read ms", "read MB/s", "read M objects/s");
        try {
            for (GraphCodec codec : codecs) {
                Path file = directory.resolve("graph.bin");
                try {
                    Measurement result = measure(codec, graph, nodes, file, rounds);
                    table.row(codec.name(), Long.toString(result.bytes), ms(result.writeNanos),
                            perSecond(result.bytes / 1e6, result.writeNanos), perSecond(objects / 1e6, result.writeNanos),
                            ms(result.readNanos), perSecond(result.bytes / 1e6, result.readNanos),
                            perSecond(objects / 1e6, result.readNanos));
                } catch (Exception | StackOverflowError failure) {
                    System.err.println(codec.name() + " failed:");
                    failure.printStackTrace();
                    table.row(codec.name(), "failed: " + failure, "-", "-", "-", "-", "-", "-");
                } finally {
                    Files.deleteIfExists(file);
                }
            }
        } finally {
            Files.deleteIfExists(directory);
        }
        Reports.publish("### Snapshot write path: " + objects + " small objects with shared references"
                + " (median of " + rounds + " rounds, " + gcName() + ")\n\n" + table.render());
    }

    private static Measurement measure(GraphCodec codec, Object graph, int nodes, Path file, int rounds) throws IOException {
        roundTrip(codec, graph, nodes, file);
        long[] writes = new long[rounds];
        long[] reads = new long[rounds];
        long bytes = 0;
        for (int round = 0; round < rounds; round++) {
            System.gc();
            long start = System.nanoTime();
            bytes = codec.write(graph, file);
            writes[round] = System.nanoTime() - start;
            System.gc();
            start = System.nanoTime();
            Object back = codec.read(file);
            reads[round] = System.nanoTime() - start;
            SampleGraph.verify(back, nodes);
            System.out.printf("%s round %d: write %s ms, read %s ms, %d bytes%n", codec.name(), round + 1,
                    ms(writes[round]), ms(reads[round]), bytes);
        }
        return new Measurement(bytes, median(writes), median(reads));
    }

    private static void roundTrip(GraphCodec codec, Object graph, int nodes, Path file) throws IOException {
        codec.write(graph, file);
        SampleGraph.verify(codec.read(file), nodes);
    }

    static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static String ms(long nanos) {
        return Reports.format(nanos / 1e6, 0);
    }

    private static String perSecond(double amount, long nanos) {
        return Reports.format(amount / (nanos / 1e9), 2);
    }

    private static String gcName() {
        List<String> collectors = new ArrayList<>();
        java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().forEach(gc -> collectors.add(gc.getName()));
        return "JDK " + Runtime.version() + ", collectors " + String.join(" + ", collectors);
    }

    private record Measurement(long bytes, long writeNanos, long readNanos) {
    }
}
