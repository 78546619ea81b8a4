package dev.stasis.runtime.internal.snapshot.corruption;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An application-like object for the corruption tests' snapshots: written field by field and
 * resolved by name on reading (it is not registered with Kryo), with a back reference that makes
 * the graph cyclic.
 */
final class SampleNode {
    final String label;
    final long[] numbers;
    final List<SampleNode> children = new ArrayList<>();
    final Map<String, Object> attributes = new LinkedHashMap<>();
    SampleNode parent;

    SampleNode(String label, long[] numbers) {
        this.label = label;
        this.numbers = numbers;
    }

    SampleNode add(SampleNode child) {
        child.parent = this;
        children.add(child);
        return this;
    }
}
