package bench.stasis.snapshot;

import java.io.Serializable;

/**
 * The object graph every serializer writes: an array of small nodes, each pointing back to its
 * predecessor and to one of a few shared tags, so most references are to objects already
 * written, as in a real heap. The back pointers keep the graph shallow: no serializer recurses
 * deeper than a few frames, so the figures measure throughput, not stack depth.
 */
public final class SampleGraph {
    static final int TAGS = 4096;

    private SampleGraph() {
    }

    public static Node[] build(int nodes) {
        Tag[] tags = new Tag[TAGS];
        for (int i = 0; i < TAGS; i++) {
            tags[i] = new Tag(i, i * 31);
        }
        Node[] graph = new Node[nodes];
        for (int i = 0; i < nodes; i++) {
            graph[i] = new Node(i, i * 0x9E3779B97F4A7C15L, i == 0 ? null : graph[i - 1], tags[i % TAGS]);
        }
        return graph;
    }

    /** Objects in a graph of {@code nodes} nodes: the nodes, the shared tags and the array. */
    public static long objectCount(int nodes) {
        return nodes + (long) Math.min(nodes, TAGS) + 1;
    }

    /**
     * Checks that a graph read back has the written shape, shared references included, so a
     * serializer that silently duplicated objects could not post a good figure.
     */
    public static void verify(Object readBack, int nodes) {
        if (!(readBack instanceof Node[])) {
            throw new IllegalStateException("Expected a Node[] back, got " + describe(readBack));
        }
        Node[] graph = (Node[]) readBack;
        if (graph.length != nodes) {
            throw new IllegalStateException("Expected " + nodes + " nodes back, got " + graph.length);
        }
        for (int i = 0; i < nodes; i++) {
            Node node = graph[i];
            if (node.id != i || node.value != i * 0x9E3779B97F4A7C15L || node.previous != (i == 0 ? null : graph[i - 1])
                    || node.tag.id != i % TAGS || (i >= TAGS && node.tag != graph[i - TAGS].tag)) {
                throw new IllegalStateException("Node " + i + " came back wrong (value, back pointer or shared tag)");
            }
        }
    }

    private static String describe(Object value) {
        return value == null ? "null" : value.getClass().getName();
    }

    /** A small object with a back reference and a shared one. Non-final fields, no-arg constructor: Kryo's defaults need them. */
    public static final class Node implements Serializable {
        private static final long serialVersionUID = 1L;
        int id;
        long value;
        Node previous;
        Tag tag;

        public Node() {
        }

        Node(int id, long value, Node previous, Tag tag) {
            this.id = id;
            this.value = value;
            this.previous = previous;
            this.tag = tag;
        }
    }

    /** Shared by many nodes: written once, then referenced. */
    public static final class Tag implements Serializable {
        private static final long serialVersionUID = 1L;
        int id;
        int weight;

        public Tag() {
        }

        Tag(int id, int weight) {
            this.id = id;
            this.weight = weight;
        }
    }
}
