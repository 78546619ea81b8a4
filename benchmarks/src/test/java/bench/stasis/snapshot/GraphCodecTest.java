package bench.stasis.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GraphCodecTest {
    private static final int NODES = 3 * SampleGraph.TAGS;

    @TempDir
    Path directory;

    static Stream<GraphCodec> codecs() {
        return Stream.of(new StasisGraphCodec(), new KryoGraphCodec(), new JavaSerializationGraphCodec());
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void round_trip_keeps_back_pointers_and_shared_tags(GraphCodec codec) throws IOException {
        Path file = directory.resolve("graph.bin");

        long bytes = codec.write(SampleGraph.build(NODES), file);

        assertThat(bytes).isEqualTo(file.toFile().length()).isPositive();
        SampleGraph.verify(codec.read(file), NODES);
    }

    @Test
    void verification_rejects_a_graph_whose_shared_tag_was_duplicated() {
        SampleGraph.Node[] graph = SampleGraph.build(NODES);
        SampleGraph.Tag original = graph[SampleGraph.TAGS].tag;
        graph[SampleGraph.TAGS].tag = new SampleGraph.Tag(original.id, original.weight);

        assertThatThrownBy(() -> SampleGraph.verify(graph, NODES)).hasMessageContaining("Node " + SampleGraph.TAGS);
    }

    @Test
    void counts_nodes_tags_and_the_array() {
        assertThat(SampleGraph.objectCount(2_000_000)).isEqualTo(2_000_000 + SampleGraph.TAGS + 1);
    }
}
