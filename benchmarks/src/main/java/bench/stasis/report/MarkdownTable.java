package bench.stasis.report;

import java.util.ArrayList;
import java.util.List;

/** A GitHub-flavoured markdown table: first column left-aligned, the others (figures) right-aligned. */
public final class MarkdownTable {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    public MarkdownTable(String... header) {
        this.header = List.of(header);
    }

    public MarkdownTable row(String... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("A row of " + header + " needs " + header.size() + " cells, got "
                    + List.of(cells));
        }
        rows.add(List.of(cells));
        return this;
    }

    public String render() {
        StringBuilder out = new StringBuilder();
        appendLine(out, header);
        List<String> rule = new ArrayList<>();
        for (int column = 0; column < header.size(); column++) {
            rule.add(column == 0 ? "---" : "---:");
        }
        appendLine(out, rule);
        rows.forEach(row -> appendLine(out, row));
        return out.toString();
    }

    private static void appendLine(StringBuilder out, List<String> cells) {
        out.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }
}
